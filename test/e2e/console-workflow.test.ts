import { describe, expect, it } from 'vitest';
import { parseCannedResponses } from '../../src/knowledge/canned-responses.js';
import { signIn } from '../support/agent-client.js';
import { openEventStream } from '../support/sse-client.js';
import { agentHeaders, api, type TestService, useTestService } from '../support/test-service.js';

let service: TestService;

useTestService((started) => (service = started));

describe('canned responses (快捷回复)', () => {
  it('lists the sets an agent may use, restricted by skill group', async () => {
    const xiaozhang = await signIn(service.url, 'xiaozhang'); // tech-support, presales
    const listed = await xiaozhang.call<{ responses: Array<{ code: string; set: string; text: { zh: string; en: string } }> }>('GET', '/api/v1/agent/canned-responses');
    expect(listed.status).toBe(200);
    const codes = listed.body.responses.map((item) => item.code);
    expect(codes).toEqual(expect.arrayContaining(['hi', 'wait', 'bye', 'order']));
    expect(codes).not.toContain('refund'); // after-sales only
    expect(listed.body.responses.find((item) => item.code === 'hi')).toMatchObject({
      set: 'greeting', setName: { zh: '问候', en: 'Greetings' }, text: { zh: expect.stringContaining('{{customer.name}}') },
    });
    const xiaoli = await signIn(service.url, 'xiaoli'); // after-sales, orders
    const theirs = (await xiaoli.call<{ responses: Array<{ code: string }> }>('GET', '/api/v1/agent/canned-responses')).body.responses.map((item) => item.code);
    expect(theirs).toContain('refund');
    const all = await api(service.url, 'GET', '/api/v1/agent/canned-responses', undefined, agentHeaders);
    expect(all.body.responses.length).toBe(6);
  });

  it("lists an agent's personal responses first, to them only", async () => {
    const xiaowang = await signIn(service.url, 'xiaowang');
    const mine = (await xiaowang.call<{ responses: Array<{ code: string; set: string; setName: { zh: string } }> }>('GET', '/api/v1/agent/canned-responses')).body.responses;
    expect(mine[0]).toMatchObject({ code: 'xw-shift', set: 'personal', setName: { zh: '我的' } });
    const xiaozhang = await signIn(service.url, 'xiaozhang');
    const theirs = (await xiaozhang.call<{ responses: Array<{ code: string }> }>('GET', '/api/v1/agent/canned-responses')).body.responses;
    expect(theirs.map((item) => item.code)).not.toContain('xw-shift');
  });

  it('needs an agent', async () => {
    expect((await api(service.url, 'GET', '/api/v1/agent/canned-responses')).status).toBe(401);
  });

  it('is not part of the knowledge base', async () => {
    const found = await api(service.url, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('我帮您查询一下')}&k=5`, undefined, agentHeaders);
    expect(found.status).toBe(200);
    expect(JSON.stringify(found.body)).not.toContain('canned-responses');
  });

  it('rejects a bad file with the field at fault', () => {
    expect(() => parseCannedResponses('sets:\n  - id: a\n    name: { zh: 甲, en: A }\n    responses:\n      - code: Hi!\n        zh: 你好\n        en: Hi\n'))
      .toThrow(/sets\.0\.responses\.0\.code/);
    expect(() => parseCannedResponses('sets:\n  - id: a\n    name: { zh: 甲, en: A }\n    responses:\n      - { code: x, zh: 一, en: one }\n      - { code: x, zh: 二, en: two }\n'))
      .toThrow(/duplicate code "x"/);
  });
});

describe('snooze (稍后处理)', () => {
  const say = (id: string, text: string, on = service) => api(on.url, 'POST', `/api/v1/conversations/${id}/messages`, { text });
  async function accepted(on = service) {
    const created = await api(on.url, 'POST', '/api/v1/conversations', { customer: { name: '王五' } });
    const id = created.body.id as string;
    const handoffId = (await say(id, '转人工', on)).body.handoff.id as string;
    const xiaowang = await signIn(on.url, 'xiaowang');
    expect((await xiaowang.call('POST', `/api/v1/handoffs/${handoffId}/accept`)).status).toBe(200);
    return { id, handoffId, xiaowang };
  }

  it('snoozes until the customer replies, and their next message wakes it', async () => {
    const { id, handoffId, xiaowang } = await accepted();
    const snoozed = await xiaowang.call('POST', `/api/v1/handoffs/${handoffId}/snooze`, { untilReply: true });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body.handoff).toMatchObject({ status: 'accepted', agentId: 'xiaowang', snoozedUntilReply: true });
    expect((await xiaowang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff.snoozedUntilReply).toBe(true);
    await say(id, '我找到订单号了');
    // Awake by the time the customer's message is acknowledged.
    expect((await xiaowang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff.snoozedUntilReply).toBeUndefined();
    const listed = await xiaowang.call('GET', '/api/v1/handoffs?status=accepted');
    expect(listed.body.handoffs.find((handoff: { id: string }) => handoff.id === handoffId)).toMatchObject({ status: 'accepted' });
  });

  it('snoozes until a time, which a customer message also ends', async () => {
    const { id, handoffId, xiaowang } = await accepted();
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const snoozed = await xiaowang.call('POST', `/api/v1/handoffs/${handoffId}/snooze`, { until });
    expect(snoozed.body.handoff.snoozedUntil).toBe(until);
    await say(id, '还在吗');
    await expect.poll(async () => (await xiaowang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff.snoozedUntil, { timeout: 5000 }).toBeUndefined();
  });

  describe('with the handoff sweep running', () => {
    let sweeping: TestService;
    useTestService((started) => (sweeping = started), { HANDOFF_SWEEP_INTERVAL_MS: '100' });

    it('wakes a timed snooze on its own when the time comes, and tells the console', async () => {
      const { handoffId, xiaowang } = await accepted(sweeping);
      const stream = await openEventStream(`${sweeping.url}/api/v1/handoffs/events?access_token=${xiaowang.token}`);
      try {
        const until = new Date(Date.now() + 1500).toISOString();
        expect((await xiaowang.call('POST', `/api/v1/handoffs/${handoffId}/snooze`, { until })).status).toBe(200);
        await stream.waitFor((event) => event.event === 'handoff' && event.data.id === handoffId && event.data.snoozedUntil === until);
        // Several sweeps pass before the time: still snoozed.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await xiaowang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff.snoozedUntil).toBe(until);
        const woken = await stream.waitFor((event) => event.event === 'handoff' && event.data.id === handoffId && event.data.status === 'accepted' && !('snoozedUntil' in event.data), 10_000);
        expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
        expect(woken.data).toMatchObject({ agentId: 'xiaowang' });
        expect((await xiaowang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff).not.toHaveProperty('snoozedUntil');
      } finally {
        stream.close();
      }
    });
  });

  it('refuses bad bodies, past times, queued chats and other agents', async () => {
    const { handoffId, xiaowang } = await accepted();
    const route = `/api/v1/handoffs/${handoffId}/snooze`;
    expect((await xiaowang.call('POST', route, {})).status).toBe(400);
    expect((await xiaowang.call('POST', route, { untilReply: true, until: new Date(Date.now() + 60_000).toISOString() })).status).toBe(400);
    expect((await xiaowang.call('POST', route, { until: 'tomorrow' })).status).toBe(400);
    const past = await xiaowang.call('POST', route, { until: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('bad_until');
    const xiaozhang = await signIn(service.url, 'xiaozhang'); // presales too, but not his chat
    const theirs = await xiaozhang.call('POST', route, { untilReply: true });
    expect(theirs.status).toBe(409);
    expect(theirs.body.error.code).toBe('not_your_handoff');
    const created = await api(service.url, 'POST', '/api/v1/conversations', {});
    const queued = (await say(created.body.id as string, '转人工')).body.handoff.id as string;
    expect((await xiaowang.call('POST', `/api/v1/handoffs/${queued}/snooze`, { untilReply: true })).status).toBe(409);
  });
});
