/**
 * @module Child-process entry for the speed benchmark: starts the real service from environment
 * variables (as `npm start` would, embedded defaults) and reports its URL over IPC. On request it
 * also reports its memory use, and runs V8's CPU profiler (what `node --cpu-prof` uses) over
 * just the load window, writing a `.cpuprofile`. Exits cleanly on SIGTERM.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../../src/config.js';
import { limitHeapGrowth } from '../../src/heap-growth.js';
import { createLogger } from '../../src/logger.js';
import { startService } from '../../src/service.js';

/** The message the child sends once it listens. */
export interface ServerReady {
  url: string;
  agentToken: string;
}

/**
 * Requests the parent may send; each is answered with a message of the same `type`. `memory`
 * with `gc` collects garbage first (the child runs with `--expose-gc`), showing what is retained.
 */
export type ServerRequest = { type: 'memory'; gc?: boolean } | { type: 'profile-start' } | { type: 'profile-stop'; file: string };

/** The answer to `memory`: `process.memoryUsage()` in MiB. */
export interface MemoryReport {
  type: 'memory';
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  /** The child's own sample (every 100 ms) with the highest RSS so far: what the peak was made of. */
  atPeak: MemorySample;
}

/** One `process.memoryUsage()` in MiB. */
export interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const session = new Session();

function sampleMemory(): MemorySample {
  const usage = process.memoryUsage();
  return { rssMiB: mib(usage.rss), heapUsedMiB: mib(usage.heapUsed), heapTotalMiB: mib(usage.heapTotal), externalMiB: mib(usage.external), arrayBuffersMiB: mib(usage.arrayBuffers) };
}

let atPeak = sampleMemory();
setInterval(() => {
  const now = sampleMemory();
  if (now.rssMiB > atPeak.rssMiB) atPeak = now;
}, 100).unref();

async function handle(request: ServerRequest): Promise<unknown> {
  if (request.type === 'memory') {
    if (request.gc) (globalThis as { gc?: () => void }).gc?.();
    return { type: 'memory', ...sampleMemory(), atPeak } satisfies MemoryReport;
  }
  if (request.type === 'profile-start') {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return { type: request.type };
  }
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(request.file, JSON.stringify(profile));
  session.disconnect();
  return { type: request.type };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, format: 'json' });
  limitHeapGrowth(config.HEAP_GROWTH_PERCENT); // as src/main.ts does
  const service = await startService(config, logger);
  process.once('SIGTERM', () => {
    service.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.on('message', (request: ServerRequest) => {
    handle(request).then(
      (answer) => process.send?.(answer),
      (error: unknown) => process.send?.({ type: request.type, error: String(error) }),
    );
  });
  process.send?.({ url: service.url, agentToken: service.agentToken } satisfies ServerReady);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
