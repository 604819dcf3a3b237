import { Registry } from 'prom-client';
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
