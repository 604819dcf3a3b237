import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where result files go unless a run says otherwise. */
export const DEFAULT_RESULTS_DIR = path.resolve('bench', 'results');

/**
 * Writes `data` as `<dir>/<name>-<YYYY-MM-DD>.json` (write then rename, so a killed run leaves no
 * half file) and returns the path. A second run on the same day replaces the file.
 */
export function writeResults(dir: string, name: string, data: unknown, now: Date = new Date()): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${now.toISOString().slice(0, 10)}.json`);
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}
