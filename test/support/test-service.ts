import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { configSchema, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { startService, type RunningService } from '../../src/service.js';

export const AGENT_TOKEN = 'test-agent-token-0123456789';

export interface TestService extends RunningService {
  dataDir: string;
  config: Config;
  /** Stops the server and starts a new one on the same data (a restart). */
  restart(): Promise<TestService>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

/** Starts the real service on a free port of 127.0.0.1, on a fresh data folder, with the sample KB. */
export async function startTestService(overrides: Record<string, string> = {}, dataDir?: string): Promise<TestService> {
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'kefu-test-'));
  const config = configSchema.parse({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    AGENT_TOKEN,
    KB_RELOAD_INTERVAL_MS: '0',
    // Suites start many conversations from one address; the limits have their own test.
    CONVERSATIONS_PER_IP_PER_MINUTE: '10000',
    MESSAGES_PER_CONVERSATION_PER_MINUTE: '10000',
    // Tests queue handoffs with nobody signed in; the ones about tickets turn this back on.
    HANDOFF_TICKET_WHEN_NOBODY_ONLINE: 'false',
    // Tests accept chats by hand; the ones about automatic assignment turn it back on.
    HANDOFF_AUTO_ASSIGN: 'false',
    ...overrides,
  });
  const service = await startService(config, silentLogger());
  const test: TestService = {
    ...service,
    dataDir: dir,
    config,
    async restart() {
      await service.close();
      return startTestService(overrides, dir);
    },
    async destroy() {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return test;
}

/**
 * For a test file: starts the service before its tests and destroys it after them; `ready`
 * receives it (assign it to the file's own variable).
 */
export function useTestService(ready: (service: TestService) => void, overrides: Record<string, string> = {}): void {
  let service: TestService | undefined;
  beforeAll(async () => {
    service = await startTestService(overrides);
    ready(service);
  });
  afterAll(async () => {
    await service?.destroy();
  });
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Sends JSON to the service and returns status and parsed body. */
export async function api<T = Record<string, any>>(
  base: string,
  method: string,
  route: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
}

export const agentHeaders = { authorization: `Bearer ${AGENT_TOKEN}` };
