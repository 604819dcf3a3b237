import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type ChatRequestView, type FakeOpenAi } from '../support/fake-openai/index.js';
import { openEventStream } from '../support/sse-client.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

let fake: FakeOpenAi;
let service: TestService;
let covered = true;

function formatOf(request: ChatRequestView): string | undefined {
  return request.body.response_format?.json_schema?.name;
}

/** A model that answers from the first passage it was given, and rewrites follow-ups about shipping. */
function modelReply(request: ChatRequestView) {
  switch (formatOf(request)) {
    case 'grounded_answer': {
      const ids = [...request.user.matchAll(/<passage id="([^"]+)"/g)].map((match) => match[1] as string);
      return { json: { covered, answer: covered ? `根据规定：${ids[0]} 的内容。` : '', citations: covered ? [ids[0], 'not-retrieved-entry'] : [] } };
    }
    case 'standalone_question':
      return { json: { question: request.user.includes('那运费呢') ? '退货运费谁承担' : '怎么开发票' } };
    case 'handoff_summary':
      return { json: { wants: '想找人工处理退货', tried: '机器人答复了退货政策', mood: '平静' } };
    case 'emotion':
      return { json: { emotion: 'neutral', intensity: 0 } };
    case 'intent_prediction':
      return { json: { intent: 'faq', confidence: 0.9, runner_up: { intent: 'out_of_scope', confidence: 0.1 } } };
    default:
      return { text: 'ok' };
  }
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  fake.respondWith(modelReply);
  service = await startTestService({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'test-key',
    LLM_TIMEOUT_MS: '1500',
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
  fake.slow({});
});

async function conversation(): Promise<string> {
  return (await api(service.url, 'POST', '/api/v1/conversations', {})).body.id as string;
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

  it('streams the answer in pieces and ends with the whole turn and its citations', async () => {
    fake.slow({ betweenChunksMs: 5 });
    const id = await conversation();
    const response = await fetch(`${service.url}/api/v1/conversations/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ text: '退货的运费谁出' }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const raw = await response.text();
    const events = raw.split('\n\n').filter((block) => block.includes('data:')).map((block) => ({
      event: /event: (\w+)/.exec(block)?.[1],
      data: JSON.parse(block.slice(block.indexOf('data:') + 5)),
    }));
    const deltas = events.filter((event) => event.event === 'delta');
    expect(deltas.length).toBeGreaterThan(2);
    const final = events.at(-1);
    expect(final?.event).toBe('reply');
    expect(deltas.map((event) => event.data.text).join('')).toBe(final?.data.reply.text);
    expect(final?.data.reply.citations.length).toBe(1);
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
    fake.slow({ firstTokenMs: 3000 });
    const started = Date.now();
    const slow = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '运费多少' });
    expect(Date.now() - started).toBeLessThan(2900);
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
