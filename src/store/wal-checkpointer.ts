/**
 * @module Checkpoints an SQLite WAL from a worker thread (`SQLITE_WAL_CHECKPOINTS=worker`).
 * SQLite's own checkpoint runs inside whichever commit crosses 1,000 WAL pages: it copies them
 * into the database and syncs it, and for those few milliseconds the event loop, and every turn
 * waiting on it, stands still; in `npm run bench:sqlite` the slowest 1% of inserts hold over a
 * third of the insert time. A second connection in a worker does the copying instead, and
 * commits only append to the WAL. The worker costs about 10 MiB of memory, which is why it is
 * not the default: the server's peak stays under 300 MiB without it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints: the WAL stays a few MB at hundreds of turns a second. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The longest `stop` waits for a checkpoint in progress to finish and the worker's connection to close. */
const STOP_WAIT_MS = 2_000;

// Plain CommonJS so that the worker runs the same under tsx (sources) and node (dist).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const done = new Int32Array(workerData.done);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
} catch (error) {
  parentPort.postMessage({ error: 'cannot open ' + workerData.file + ': ' + String(error && error.message || error) });
  process.exit(1);
}
// PASSIVE never waits for the writer or readers: it copies what it can, the rest next time.
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

export interface WalCheckpointer {
  /** Stops the worker and closes its connection (waits up to two seconds for a checkpoint in progress). */
  stop(): void;
}

/**
 * Starts checkpointing `file` (a WAL-mode database) every `intervalMs` from a worker thread.
 * The caller turns SQLite's automatic checkpoints off once `onReady` runs, and back on if
 * `onFailure` does: the worker could not open the database, or a checkpoint failed.
 */
export function startWalCheckpointer(
  file: string,
  hooks: { onReady: () => void; onFailure: (error: Error) => void },
  intervalMs = CHECKPOINT_INTERVAL_MS,
): WalCheckpointer {
  const done = new SharedArrayBuffer(4);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, done, intervalMs } });
  worker.unref();
  let failed = false;
  const fail = (error: Error) => {
    if (failed) return;
    failed = true;
    hooks.onFailure(error);
  };
  worker.on('message', (message: { ready?: boolean; error?: string }) => {
    if (message.ready && !failed) hooks.onReady();
    if (message.error !== undefined) fail(new Error(`WAL checkpoint worker: ${message.error}`));
  });
  // Errors cross the thread boundary as plain objects.
  worker.on('error', (error: unknown) => fail(error instanceof Error && error.message ? error : new Error(`WAL checkpoint worker: ${JSON.stringify(error)}`)));
  let exited = false;
  worker.on('exit', (code) => {
    exited = true;
    if (code !== 0) fail(new Error(`the WAL checkpoint worker exited with code ${code}`));
  });
  let stopped = false;
  return {
    stop() {
      if (stopped || exited) return;
      stopped = true;
      failed = true;
      worker.postMessage('stop');
      // Synchronous, as closing the database is: the worker's connection must be closed first,
      // or this one is not the last and leaves the WAL behind.
      Atomics.wait(new Int32Array(done), 0, 0, STOP_WAIT_MS);
    },
  };
}
