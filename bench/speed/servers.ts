/**
 * @module The two servers under load, each in its own child process: ours (the real service in
 * embedded mode) and the bare Express ceiling.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstMessage, forkNode, forkTs, stopChild } from '../lib/child-process.js';
import type { ServerReady, ServerRequest } from './server-child.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

/**
 * How the servers run: `node` runs them compiled, as in production (`npm run build`,
 * `npm run start:prod`); `tsx` runs the TypeScript sources, as `npm start` does (its loader
 * thread adds about 40 MB and start-up time, not per-request cost).
 */
export type ServerRuntime = 'node' | 'tsx';

/** Compiles the service and the two server entries into `dist/` (what `npm run build` does, plus the bench entries). */
export function buildServers(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.bench.json')], { cwd: root, stdio: 'inherit' });
}

/** A started server child. */
export interface ServerChild extends ServerReady {
  child: ChildProcess;
  pid: number;
  /** Sends a request to our server child and waits for its answer (see `ServerRequest`). */
  ask<T>(request: ServerRequest): Promise<T>;
  stop(): Promise<void>;
}

/** Generous limits so the benchmark measures turns, not the rate limiter. */
export const BENCH_LIMITS = { CONVERSATIONS_PER_IP_PER_MINUTE: '10000000', MESSAGES_PER_CONVERSATION_PER_MINUTE: '10000000' };

async function start(runtime: ServerRuntime, name: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<ServerChild> {
  const { child, stderr } = runtime === 'tsx'
    ? forkTs(path.join(here, `${name}.ts`), { env, nodeFlags })
    : forkNode(path.join(root, 'dist', 'bench', 'speed', `${name}.js`), { env, nodeFlags });
  const ready = await firstMessage<ServerReady>(child, stderr, 120_000);
  const ask = <T>(request: ServerRequest) => {
    const answer = firstMessage<T>(child, stderr, 60_000);
    child.send(request);
    return answer;
  };
  return { ...ready, child, pid: child.pid ?? 0, ask, stop: () => stopChild(child) };
}

/**
 * The Node flags `npm run start:prod` gives the service (the Docker image's CMD has the same; a
 * test keeps them together), so the benchmark measures the process production runs.
 */
export function productionNodeFlags(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = manifest.scripts?.['start:prod'];
  if (!script) throw new Error('package.json has no start:prod script');
  return script.split(/\s+/u).filter((word) => word.startsWith('--'));
}

/** Starts the service on `dataDir` / `knowledgeDir` with the product's defaults otherwise. */
export function startOurServer(options: { dataDir: string; knowledgeDir: string; runtime: ServerRuntime; nodeFlags?: string[] }): Promise<ServerChild> {
  return start(options.runtime, 'server-child', {
    NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: options.dataDir, KNOWLEDGE_DIR: options.knowledgeDir, AGENT_TOKEN: 'bench-agent-token-0123456789', ...BENCH_LIMITS,
  }, ['--expose-gc', ...productionNodeFlags(), ...(options.nodeFlags ?? [])]);
}

/** Starts the bare Express route. */
export function startBareExpress(runtime: ServerRuntime): Promise<ServerChild> {
  return start(runtime, 'bare-express-child', { NODE_ENV: 'production' });
}
