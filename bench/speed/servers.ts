/**
 * @module The two servers under load, each in its own child process: ours (the real service in
 * embedded mode) and the bare Express ceiling.
 */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstMessage, forkTs, stopChild } from '../lib/child-process.js';
import type { ServerReady, ServerRequest } from './server-child.js';

const here = path.dirname(fileURLToPath(import.meta.url));

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

async function start(file: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<ServerChild> {
  const { child, stderr } = forkTs(path.join(here, file), { env, nodeFlags });
  const ready = await firstMessage<ServerReady>(child, stderr, 120_000);
  const ask = <T>(request: ServerRequest) => {
    const answer = firstMessage<T>(child, stderr, 60_000);
    child.send(request);
    return answer;
  };
  return { ...ready, child, pid: child.pid ?? 0, ask, stop: () => stopChild(child) };
}

/** Starts the service on `dataDir` / `knowledgeDir` with the product's defaults otherwise. */
export function startOurServer(options: { dataDir: string; knowledgeDir: string }): Promise<ServerChild> {
  return start('server-child.ts', {
    NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: options.dataDir, KNOWLEDGE_DIR: options.knowledgeDir, AGENT_TOKEN: 'bench-agent-token-0123456789', ...BENCH_LIMITS,
  }, ['--expose-gc']);
}

/** Starts the bare Express route. */
export function startBareExpress(): Promise<ServerChild> {
  return start('bare-express-child.ts', { NODE_ENV: 'production' });
}
