import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scriptedModel, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai/index.js';
import { openEventStream, type SseEvent } from '../support/sse-client.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

let fake: FakeOpenAi;
let service: TestService;
let covered = true;
/** Trouble for the answer call only (the emotion, intent and rewrite calls stay healthy). */
let answerTrouble: { firstTokenMs: number } | { status: number } | undefined;

/** A model that answers from the first passage it was given, and rewrites follow-ups about shipping. */
const modelReply = scriptedModel(
  (ids) => {
    if (answerTrouble && 'status' in answerTrouble) return answerTrouble;
    const json = { covered, answer: covered ? `根据规定：${ids[0]} 的内容。` : '', citations: covered ? [ids[0], 'not-retrieved-entry'] : [] };
    return { json, ...(answerTrouble ?? {}) };
  },
  {
    standalone_question: (request) => ({ json: { question: request.user.includes('那运费呢') ? '退货运费谁承担' : '怎么开发票' } }),
    handoff_summary: () => ({ json: { wants: '想找人工处理退货', tried: '机器人答复了退货政策', mood: '平静' } }),
  },
);

beforeAll(async () => {
  fake = await startFakeOpenAi();
  fake.respondWith(modelReply);
  service = await startTestService({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'test-key',
    // Room for a cold start on a busy machine; the slow fake below takes far longer.
    LLM_TIMEOUT_MS: '3000',
    LLM_FIRST_TOKEN_TIMEOUT_MS: '800',
    LLM_MAX_RETRIES: '0',
    LLM_BREAKER_FAILURES: '100',
  });
});
afterAll(async () => {
  await service?.destroy();
  await fake?.close();
});
beforeEach(() => {
  covered = true;
  answerTrouble = undefined;
  fake.slow({});
});
afterEach(() => {
  // Every request the service sent, in every test, is valid against the official OpenAPI spec.
  expect(fake.invalidRequests).toEqual([]);
});

async function conversation(): Promise<string> {
  return (await api(service.url, 'POST', '/api/v1/conversations', {})).body.id as string;
}

/** Sends a message asking for SSE and reads the events as they arrive, until the turn ends. */
async function postStreamed(id: string, text: string): Promise<SseEvent[]> {
  const stream = await openEventStream(`${service.url}/api/v1/conversations/${id}/messages`, { method: 'POST', body: JSON.stringify({ text }) });
  expect(stream.contentType).toMatch(/text\/event-stream/u);
  await stream.ended;
  return stream.events;
}

async function fallbackCount(reason: string): Promise<number> {
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  return Number(new RegExp(`^llm_fallbacks_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
}

describe('answers written by a model from the retrieved passages', () => {
  it('answers with the model text and cites only retrieved entries', async () => {
    const id = await conversation();
    const turn = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '退货的运费谁出' });
    expect(turn.body.reply.text).toMatch(/^根据规定：/);
    const cited = turn.body.reply.citations.map((citation: { entryId: string }) => citation.entryId);
    expect(cited).toHaveLength(1);
    expect(cited).not.toContain('not-retrieved-entry');
    expect(turn.body.reply.text).toContain(cited[0]);
    expect(fake.invalidRequests).toEqual([]);
  });

  it('streams the answer in pieces as the model writes it, and ends with the whole turn and its citations', async () => {
    fake.slow({ betweenChunksMs: 10 });
    const id = await conversation();
    const events = await postStreamed(id, '退货的运费谁出');
    const deltas = events.filter((event) => event.event === 'delta');
    expect(deltas.length).toBeGreaterThan(2);
    const final = events.at(-1);
    expect(final?.event).toBe('reply');
    expect(deltas.map((event) => event.data.text).join('')).toBe(final?.data.reply.text);
    expect(final?.data.reply.text).toMatch(/^根据规定：/);
    expect(final?.data.reply.citations.map((citation: { entryId: string }) => citation.entryId)).toEqual(['return-shipping-cost']);
    // Pieces reach the client while the model is still writing (the citations come after the
    // answer in the JSON, about 20 chunks of 10 ms later), not in one buffered burst at the end.
    expect((final?.at ?? 0) - (deltas[0]?.at ?? 0)).toBeGreaterThan(100);
  });

  it('gives the KB answer in the stream when the first token is late, well before the turn timeout', async () => {
    answerTrouble = { firstTokenMs: 8000 };
    const before = await fallbackCount('timeout');
    const id = await conversation();
    const events = await postStreamed(id, '退款多久到账');
    const final = events.at(-1);
    expect(final?.event).toBe('reply');
    expect(events.filter((event) => event.event === 'delta')).toEqual([]);
    expect(final?.data.reply.text).not.toMatch(/^根据规定/);
    expect(final?.data.reply.citations[0].entryId).toBe('refund-timeline');
    // LLM_FIRST_TOKEN_TIMEOUT_MS is 800, LLM_TIMEOUT_MS 3000: the first-token deadline fired.
    expect(final?.at).toBeLessThan(2500);
    expect(await fallbackCount('timeout')).toBe(before + 1);
  });

  it('answers from the KB when the model keeps rate-limiting, and the metric says so', async () => {
    answerTrouble = { status: 429 };
    const before = await fallbackCount('rate_limited');
    const id = await conversation();
    const turn = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '运费多少' });
    expect(turn.body.reply.citations[0].entryId).toBe('shipping-fee');
    expect(turn.body.reply.text).not.toMatch(/^根据规定/);
    expect(turn.body.failedTurns).toBe(0);
    expect(await fallbackCount('rate_limited')).toBe(before + 1);
  });

  it('rewrites a follow-up into a standalone question before retrieval', async () => {
    const id = await conversation();
    await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '怎么申请退货' });
    const follow = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '那运费呢？' });
    expect(follow.body.reply.citations[0].entryId).toBe('return-shipping-cost');
    const rewrite = fake.chatRequests().filter((request) => request.body.response_format?.json_schema?.name === 'standalone_question').at(-1);
    expect(JSON.stringify(rewrite?.body.messages)).toContain('怎么申请退货');
  });

  it('counts an answer the passages do not cover as a failed turn', async () => {
    covered = false;
    const id = await conversation();
    const turn = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '退货的运费谁出' });
    expect(turn.body.failedTurns).toBe(1);
    expect(turn.body.reply.citations).toEqual([]);
  });

  it('still answers from the KB, in time, when the model is down or slow', async () => {
    const id = await conversation();
    fake.failNext(3, 500);
    const down = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '退款多久到账' });
    expect(down.body.reply.citations[0].entryId).toBe('refund-timeline');
    expect(down.body.reply.text).not.toMatch(/^根据规定/);
    fake.slow({ firstTokenMs: 8000 });
    const started = Date.now();
    const slow = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '运费多少' });
    // The KB answers at the turn deadline (LLM_TIMEOUT_MS, 3 s), long before the model would.
    expect(Date.now() - started).toBeLessThan(6000);
    expect(slow.body.reply.citations[0].entryId).toBe('shipping-fee');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/llm_fallbacks_total\{reason="(unavailable|error)"\} [1-9]/);
    expect(metrics).toMatch(/llm_fallbacks_total\{reason="timeout"\} [1-9]/);
  });

  it('writes the handoff summary with the model', async () => {
    const id = await conversation();
    const stream = await openEventStream(`${service.url}/api/v1/conversations/${id}/events`);
    const turn = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '转人工' });
    stream.close();
    const detail = await api(service.url, 'GET', `/api/v1/handoffs/${turn.body.handoff.id}`, undefined, agentHeaders);
    expect(detail.body.handoff.summary).toContain('想找人工处理退货');
  });
});
