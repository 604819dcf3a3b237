import { describe, expect, it } from 'vitest';
import { agentHeaders, api, type TestService, useTestService } from '../support/test-service.js';
import { openEventStream } from '../support/sse-client.js';

let service: TestService;

useTestService((started) => (service = started));

async function newConversation(body: unknown = {}) {
  const created = await api(service.url, 'POST', '/api/v1/conversations', body);
  expect(created.status).toBe(201);
  return created.body.id as string;
}

const say = (id: string, text: string) => api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text });

describe('a customer asks the bot', () => {
  it('greets a new conversation in the customer language', async () => {
    const zh = await api(service.url, 'POST', '/api/v1/conversations', {});
    expect(zh.body).toMatchObject({ status: 'bot', messages: [{ role: 'bot' }] });
    expect(zh.body.messages[0].text).toMatch(/[\u4e00-\u9fff]/);
    const en = await api(service.url, 'POST', '/api/v1/conversations', { customer: { lang: 'en' } });
    expect(en.body.messages[0].text).toMatch(/^Hi/);
  });

  it('answers a paraphrased Chinese question with the curated answer and its citation', async () => {
    const id = await newConversation();
    const turn = await say(id, '东西买回来不喜欢，七天内还能退吗');
    expect(turn.status).toBe(200);
    expect(turn.body.status).toBe('bot');
    expect(turn.body.reply.citations[0]).toMatchObject({ entryId: expect.stringMatching(/return/), kbVersion: 1 });
    expect(turn.body.reply.citations[0].title).toMatch(/[\u4e00-\u9fff]/);
    expect(turn.body.reply.text).toMatch(/7/);
    expect(turn.body.failedTurns).toBe(0);
  });

  it('answers a paraphrased English question in English', async () => {
    const id = await newConversation();
    const turn = await say(id, 'I forgot my password, how can I reset it?');
    expect(turn.body.reply.citations[0].entryId).toMatch(/password/);
    expect(turn.body.reply.text).toMatch(/password/i);
    expect(turn.body.reply.text).not.toMatch(/[\u4e00-\u9fff]{4}/);
  });

  it('stores the language a customer switches to, on an answered turn and on a handoff', async () => {
    const answered = await newConversation();
    await say(answered, 'I forgot my password, how can I reset it?');
    expect((await api(service.url, 'GET', `/api/v1/conversations/${answered}`)).body).toMatchObject({ lang: 'en', failedTurns: 0 });
    await say(answered, '怎么修改密码');
    expect((await api(service.url, 'GET', `/api/v1/conversations/${answered}`)).body.lang).toBe('zh');
    const handedOff = await newConversation();
    expect((await say(handedOff, 'I want to talk to a human')).body.status).toBe('queued');
    expect((await api(service.url, 'GET', `/api/v1/conversations/${handedOff}`)).body).toMatchObject({ lang: 'en', status: 'queued' });
  });

  it.each(['转人工', 'I want to talk to a human'])('hands off at once on "%s"', async (text) => {
    const id = await newConversation();
    const turn = await say(id, text);
    expect(turn.body.status).toBe('queued');
    expect(turn.body.handoff).toMatchObject({ reason: 'asked', position: expect.any(Number) });
    expect(turn.body.handoff.position).toBeGreaterThanOrEqual(1);
    const notice = turn.body.messages.find((message: { role: string }) => message.role === 'system');
    expect(notice.text).toContain(String(turn.body.handoff.position));
    if (text.startsWith('I')) expect(notice.text).toMatch(/queue/);
    else expect(notice.text).toMatch(/人工/);
  });
});

describe('failed turns, handoff and the agent', () => {
  it('hands off after three unanswerable messages, and an agent takes over', async () => {
    const id = await newConversation();
    const unanswerable = ['今天北京天气怎么样', '给我讲个笑话吧', '帮我写一首关于月亮的诗'];
    const first = await say(id, unanswerable[0] as string);
    expect(first.body).toMatchObject({ status: 'bot', failedTurns: 1, handoff: null });
    const second = await say(id, unanswerable[1] as string);
    expect(second.body).toMatchObject({ status: 'bot', failedTurns: 2 });
    const third = await say(id, unanswerable[2] as string);
    expect(third.body).toMatchObject({ status: 'queued', failedTurns: 3, handoff: { reason: 'failed_turns' } });
    const handoffId = third.body.handoff.id as string;

    const waiting = await api(service.url, 'GET', '/api/v1/handoffs?status=waiting', undefined, agentHeaders);
    expect(waiting.body.handoffs.map((handoff: { id: string }) => handoff.id)).toContain(handoffId);
    const detail = await api(service.url, 'GET', `/api/v1/handoffs/${handoffId}`, undefined, agentHeaders);
    const transcript = detail.body.conversation.messages.filter((message: { role: string }) => message.role === 'customer').map((message: { text: string }) => message.text);
    expect(transcript).toEqual(unanswerable);
    expect(detail.body.handoff.summary).toContain('笑话');

    const stream = await openEventStream(`${service.url}/api/v1/conversations/${id}/events`);
    const accepted = await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/accept`, { agentName: '小李' }, agentHeaders);
    expect(accepted.status).toBe(200);
    const again = await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/accept`, {}, agentHeaders);
    expect(again.status).toBe(409);

    const relayed = await say(id, '你好，有人吗？');
    expect(relayed.body).toMatchObject({ status: 'agent', reply: null });
    const reply = await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/messages`, { text: '您好，我是小李，请问需要什么帮助？' }, agentHeaders);
    expect(reply.status).toBe(201);
    const received = await stream.waitFor((event) => event.event === 'message' && event.data.role === 'agent');
    expect(received.data.text).toContain('小李');
    await stream.waitFor((event) => event.event === 'status' && event.data.status === 'agent');

    const resolved = await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/resolve`, {}, agentHeaders);
    expect(resolved.body.handoff.status).toBe('resolved');
    await stream.waitFor((event) => event.event === 'status' && event.data.status === 'closed');
    stream.close();
    const after = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(after.body.status).toBe('closed');
    expect(after.body.messages.map((message: { role: string }) => message.role)).toEqual(
      expect.arrayContaining(['bot', 'customer', 'system', 'agent']),
    );
  });

  it('a successful answer resets the failed-turn count', async () => {
    const id = await newConversation();
    await say(id, '今天北京天气怎么样');
    const failed = await say(id, '给我讲个笑话吧');
    expect(failed.body.failedTurns).toBe(2);
    const answered = await say(id, '东西买回来不喜欢，七天内还能退吗');
    expect(answered.body.failedTurns).toBe(0);
    const again = await say(id, '今天北京天气怎么样');
    expect(again.body).toMatchObject({ status: 'bot', failedTurns: 1 });
  });
});

describe('bad input', () => {
  it('rejects bad requests with the right status and never a 500', async () => {
    const id = await newConversation();
    const raw = await fetch(`${service.url}/api/v1/conversations/${id}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": ' });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    expect((await say(id, '   ')).status).toBe(400);
    expect((await say(id, '')).status).toBe(400);
    expect((await say(id, '长'.repeat(4001))).status).toBe(413);
    expect((await say(id, '长'.repeat(4000))).status).toBe(200);
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: 42 })).status).toBe(400);
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { words: 'hi' })).status).toBe(400);
    expect((await say('no-such-conversation', 'hi')).status).toBe(404);
    expect((await api(service.url, 'GET', '/api/v1/conversations/no-such-conversation')).status).toBe(404);
    expect((await api(service.url, 'GET', '/api/v1/handoffs')).status).toBe(401);
    expect((await api(service.url, 'GET', '/api/v1/handoffs', undefined, { authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await api(service.url, 'POST', '/api/v1/handoffs/nope/accept', {}, agentHeaders)).status).toBe(404);
    expect((await api(service.url, 'POST', '/api/v1/conversations', { customer: { lang: 'fr' } })).status).toBe(400);
    const error = await say(id, ' ');
    expect(error.body).toMatchObject({ error: { code: 'empty_text', message: expect.any(String) } });
  });

  it('keeps what was stored when a request is refused', async () => {
    const id = await newConversation();
    await say(id, '怎么开发票');
    await say(id, '');
    const conversation = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(conversation.body.messages.filter((message: { role: string }) => message.role === 'customer')).toHaveLength(1);
  });
});

describe('health', () => {
  it('reports alive and ready', async () => {
    expect((await api(service.url, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await api(service.url, 'GET', '/readyz')).body).toMatchObject({ status: 'ready', kbVersion: 1 });
  });
});

describe('restart', () => {
  it('keeps conversations, messages and queued handoffs', async () => {
    const id = await newConversation();
    await say(id, '怎么开发票');
    const queued = await say(id, '转人工');
    service = await service.restart();
    const conversation = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(conversation.body.status).toBe('queued');
    expect(conversation.body.messages.map((message: { text: string }) => message.text)).toContain('怎么开发票');
    const waiting = await api(service.url, 'GET', '/api/v1/handoffs?status=waiting', undefined, agentHeaders);
    expect(waiting.body.handoffs.map((handoff: { id: string }) => handoff.id)).toContain(queued.body.handoff.id);
  });
});
