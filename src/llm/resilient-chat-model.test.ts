import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import winston from 'winston';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../../test/support/fake-openai/index.js';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import type { ChatModel, ChatRequest } from './chat-model.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { LlmTimeoutError, LlmUnavailableError, fallbackReasonOf } from './llm-errors.js';
import { LlmMetrics } from './llm-metrics.js';
import { OpenAiChatModel } from './openai-chat-model.js';
import { ResilientChatModel } from './resilient-chat-model.js';

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => {
  expect(fake.invalidRequests).toEqual([]);
  fake.requests.splice(0);
  fake.slow({});
});
afterAll(() => fake.close());

const request: ChatRequest = { messages: [{ role: 'user', content: '运费多少？' }] };

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((candidate) => candidate.name === name);
  const value = metric?.values.find((entry) => Object.entries(labels).every(([key, label]) => entry.labels[key] === label));
  return value?.value ?? 0;
}

/** A logger that keeps its JSON lines, to check what the service would log. */
function recordingLogger(): { logger: winston.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { logger: winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream: sink })] }), lines };
}

/** A model that never answers and ignores its abort signal. */
const hanging: ChatModel = {
  complete: () => new Promise(() => undefined),
  stream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise(() => undefined) }) }),
};

describe('ResilientChatModel', () => {
  it('opens the breaker after repeated 500s, then fails fast with the circuit_open reason', async () => {
    const registry = new Registry();
    const metrics = new LlmMetrics(registry);
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000, now: () => now });
    const model = new ResilientChatModel(new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 }), { breaker, metrics });
    fake.failNext(3, 500);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(model.complete(request)).rejects.toMatchObject({ reason: 'server_error' });
    }
    const error = await model.complete(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({ reason: 'circuit_open', isRetryable: true });
    expect(fallbackReasonOf(error)).toBe('circuit_open');
    metrics.recordFallback(fallbackReasonOf(error));
    expect(fake.chatRequests()).toHaveLength(3);
    expect(await metricValue(registry, 'llm_requests_total', { outcome: 'unavailable' })).toBe(3);
    expect(await metricValue(registry, 'llm_requests_total', { outcome: 'circuit_open' })).toBe(1);
    expect(await metricValue(registry, 'llm_fallbacks_total', { reason: 'circuit_open' })).toBe(1);

    now += 10_000;
    fake.enqueue({ text: 'back again' });
    await expect(model.complete(request)).resolves.toMatchObject({ text: 'back again' });
    expect(model.breaker.state).toBe('closed');
    expect(await metricValue(registry, 'llm_requests_total', { outcome: 'success' })).toBe(1);
    expect(await registry.getSingleMetricAsString('llm_latency_seconds')).toContain('llm_latency_seconds_count 4');
  });

  it('streams through and counts a success', async () => {
    const registry = new Registry();
    const model = new ResilientChatModel(new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat' }), { metrics: new LlmMetrics(registry) });
    fake.enqueue({ text: '七天无理由退货' });
    let text = '';
    for await (const fragment of model.stream(request)) text += fragment;
    expect(text).toBe('七天无理由退货');
    expect(await metricValue(registry, 'llm_requests_total', { outcome: 'success' })).toBe(1);
  });

  it('enforces its own deadlines on a model that ignores its signal', async () => {
    const model = new ResilientChatModel(hanging, { timeoutMs: 150, firstTokenTimeoutMs: 50, breaker: { failureThreshold: 2 } });
    await expect(model.complete(request)).rejects.toMatchObject({ phase: 'total', timeoutMs: 150 });
    const streamed = (async () => {
      for await (const _fragment of model.stream(request)) {
        // never reached
      }
    })();
    const error = await streamed.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ phase: 'first_token', timeoutMs: 50 });
    expect(model.breaker.state).toBe('open');
  });

  it('logs why the breaker opens and closes, and counts the refused calls', async () => {
    const registry = new Registry();
    const { logger, lines } = recordingLogger();
    const model = new ResilientChatModel(new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 }), {
      breaker: { failureThreshold: 2, cooldownMs: 100 },
      metrics: new LlmMetrics(registry),
      logger,
    });
    fake.failNext(2, 503);
    for (let attempt = 0; attempt < 2; attempt += 1) await expect(model.complete(request)).rejects.toMatchObject({ reason: 'server_error' });
    await expect(model.complete(request)).rejects.toMatchObject({ reason: 'circuit_open' });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'llm circuit breaker changed state', from: 'closed', to: 'open' }));
    expect(await metricValue(registry, 'llm_requests_total', { outcome: 'circuit_open' })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 120));
    fake.enqueue({ text: 'ok' });
    await expect(model.complete(request)).resolves.toMatchObject({ text: 'ok' });
    expect(lines.map((line) => `${String(line.from)}>${String(line.to)}`)).toEqual(['closed>open', 'open>half_open', 'half_open>closed']);
  });

  it("counts the caller's own deadline (the turn budget) as a timeout, so a slow model opens the breaker", async () => {
    const registry = new Registry();
    const model = new ResilientChatModel(hanging, { breaker: { failureThreshold: 2 }, metrics: new LlmMetrics(registry) });
    const error = await model.complete(request, AbortSignal.timeout(30)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(fallbackReasonOf(error)).toBe('timeout');
    const streamed = await (async () => {
      for await (const _fragment of model.stream(request, AbortSignal.any([new AbortController().signal, AbortSignal.timeout(30)]))) {
        // never reached
      }
    })().catch((caught: unknown) => caught);
    expect(streamed).toBeInstanceOf(LlmTimeoutError);
    expect(model.breaker.state).toBe('open');
    expect(await metricValue(registry, 'llm_requests_total', { outcome: 'timeout' })).toBe(2);
  });

  it('does not count a caller abort against the server', async () => {
    const model = new ResilientChatModel(hanging, { breaker: { failureThreshold: 1 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(model.complete(request, controller.signal)).rejects.toMatchObject({ reason: 'aborted' });
    expect(model.breaker.state).toBe('closed');
  });

  it('releases the breaker when the consumer stops reading early', async () => {
    const model = new ResilientChatModel(new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat' }), { breaker: { failureThreshold: 1 } });
    fake.enqueue({ text: 'a fairly long answer in many fragments' });
    for await (const _fragment of model.stream(request)) break;
    expect(model.breaker.state).toBe('closed');
    expect(model.breaker.tryAcquire()).toBe(true);
  });
});
