/** Entry point of `npm run bench` and `npm run bench:publish` (see `bench-command.ts`). */
import { benchCommand } from './bench-command.js';

await benchCommand(process.argv.slice(2), (text) => process.stdout.write(text));
