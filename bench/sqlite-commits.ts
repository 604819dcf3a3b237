/** Entry point of `npm run bench:sqlite` (see `speed/commit-stalls.ts`). */
import { commitStallBench } from './speed/commit-stalls.js';

process.stdout.write(await commitStallBench());
