import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import winston from 'winston';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import type { PromptTemplates } from '../llm/prompt-templates.js';
import { samplePassages, useFakeOpenAi } from '../../test/support/fake-openai/llm-fixtures.js';
import { LlmMetrics } from '../llm/llm-metrics.js';
import { OpenAiChatModel } from '../llm/openai-chat-model.js';
import { ResilientChatModel } from '../llm/resilient-chat-model.js';
import { LlmAnswerer } from './llm-answerer.js';

let fake: FakeOpenAi;
let prompts: PromptTemplates;
useFakeOpenAi((started) => ({ fake, prompts } = started));

function setup(turnBudgetMs = 5000) {
  const registry = new Registry();
  const metrics = new LlmMetrics(registry);
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  const logger = winston.createLogger({ level: 'debug', format: winston.format.json(), transports: [new winston.transports.Stream({ stream: sink })] });
  const model = new ResilientChatModel(new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 }), { metrics, logger });
  const answerer = new LlmAnswerer({ model, prompts, tokenBudget: 1500, maxTokens: 300, turnBudgetMs, metrics, logger });
  const fallbacks = async (reason: string) =>
    (await registry.getMetricsAsJSON()).find((metric) => metric.name === 'llm_fallbacks_total')?.values.find((value) => value.labels['reason'] === reason)?.value ?? 0;
  return { answerer, lines, fallbacks };
}

const turn = { question: '退货运费谁出？', lang: 'zh' as const, passages: samplePassages(), history: [] };

describe('LlmAnswerer', () => {
  it('streams deltas to the caller and returns the validated answer', async () => {
    const { answerer } = setup();
    fake.enqueue({ json: { covered: true, answer: '质量问题退货运费由商家承担。', citations: ['return-shipping', 'ghost'] } });
    const deltas: string[] = [];
    const outcome = await answerer.answer({ ...turn, onDelta: (text) => deltas.push(text) });
    expect(outcome).toEqual({ kind: 'answered', answer: { text: '质量问题退货运费由商家承担。', citations: ['return-shipping'], covered: true } });
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('质量问题退货运费由商家承担。');
  });

  it.each([
    ['a server error', { status: 500 }, 'unavailable'],
    ['a rate limit', { status: 429 }, 'rate_limited'],
    ['malformed JSON', { text: '{"covered": true, "answer": "运' }, 'bad_output'],
  ])('falls back on %s, with a log line and a metric that say why', async (_name, reply, reason) => {
    const { answerer, lines, fallbacks } = setup();
    fake.enqueue(reply);
    await expect(answerer.answer(turn)).resolves.toEqual({ kind: 'fallback', reason });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', message: 'model answer failed; answering from the KB directly', reason }));
    expect(await fallbacks(reason)).toBe(1);
  });

  it('falls back with reason timeout when the turn budget runs out, streamed or not', async () => {
    const { answerer, fallbacks } = setup(200);
    fake.enqueue({ json: { covered: true, answer: '太慢了', citations: [] }, firstTokenMs: 3000 }, { json: { covered: true, answer: '太慢了', citations: [] }, firstTokenMs: 3000 });
    const started = Date.now();
    await expect(answerer.answer({ ...turn, signal: answerer.turnSignal() })).resolves.toEqual({ kind: 'fallback', reason: 'timeout' });
    await expect(answerer.answer({ ...turn, signal: answerer.turnSignal(), onDelta: () => undefined })).resolves.toEqual({ kind: 'fallback', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await fallbacks('timeout')).toBe(2);
  });
});
