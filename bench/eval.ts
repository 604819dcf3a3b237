/** Entry point of `npm run eval` (see `eval-command.ts`). */
import { evalCommand } from './eval-command.js';

await evalCommand(process.argv.slice(2), (text) => process.stdout.write(text));
