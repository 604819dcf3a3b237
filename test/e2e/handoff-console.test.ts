import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, signIn } from '../support/agent-client.js';
import { openEventStream } from '../support/sse-client.js';
import { agentHeaders, api, type TestService, useTestService } from '../support/test-service.js';

let service: TestService;

useTestService((started) => (service = started), { AGENT_LOGIN_MAX_FAILURES: '3' });

const say = (id: string, text: string) => api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text });

/** A new web conversation handed off on request; returns its ids and the turn. */
async function handedOff(text = '转人工', customer: Record<string, unknown> = {}) {
  const created = await api(service.url, 'POST', '/api/v1/conversations', { customer });
  const id = created.body.id as string;
  const turn = await say(id, text);
  expect(turn.body.handoff).toBeTruthy();
  return { id, handoffId: turn.body.handoff.id as string, turn };
}

describe('agent sign-in', () => {
  it('gives a bearer token and an HttpOnly SameSite=Lax cookie, and signs out', async () => {
    const response = await fetch(`${service.url}/api/v1/agent/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'xiaoli', password: DEMO_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^kefu_agent=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const body = (await response.json()) as any;
    expect(body.agent).toMatchObject({ id: 'xiaoli', name: '小李', role: 'agent' });
    expect(body.agent.groups.map((group: { id: string }) => group.id)).toEqual(['after-sales', 'orders']);
    const viaCookie = await api(service.url, 'GET', '/api/v1/agent/me', undefined, { cookie: cookie.split(';')[0] as string });
    expect(viaCookie.body.agent.id).toBe('xiaoli');
    // A cookie-authenticated write that is not JSON (a form from another page) is refused.
    const form = await fetch(`${service.url}/api/v1/agent/status`, {
      method: 'POST', headers: { cookie: cookie.split(';')[0] as string, 'content-type': 'application/x-www-form-urlencoded' }, body: 'status=offline',
    });
    expect(form.status).toBe(403);
    const out = await api(service.url, 'POST', '/api/v1/agent/logout', {}, { authorization: `Bearer ${body.token}` });
    expect(out.status).toBe(204);
    expect((await api(service.url, 'GET', '/api/v1/agent/me', undefined, { authorization: `Bearer ${body.token}` })).status).toBe(401);
  });

  it('rate-limits wrong passwords per address and username', async () => {
    const wrong = () => api(service.url, 'POST', '/api/v1/agent/login', { username: 'xiaozhang', password: 'not-the-password' });
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    const limited = await wrong();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    // Even the right password waits now, but another username from the same address does not.
    expect((await api(service.url, 'POST', '/api/v1/agent/login', { username: 'xiaozhang', password: DEMO_PASSWORD })).status).toBe(429);
    expect((await api(service.url, 'POST', '/api/v1/agent/login', { username: 'lead', password: DEMO_PASSWORD })).status).toBe(200);
    expect((await api(service.url, 'POST', '/api/v1/agent/login', { username: 'nobody', password: 'x' })).status).toBe(401);
  });
});

describe('the agent console API', () => {
  it('shows agents only their own groups', async () => {
    const { handoffId } = await handedOff(); // no topic: the default group, presales
    const li = await signIn(service.url, 'xiaoli');
    const wang = await signIn(service.url, 'xiaowang');
    const liQueue = await li.call('GET', '/api/v1/handoffs?status=waiting');
    expect(liQueue.body.handoffs.every((handoff: { skillGroup: string }) => ['after-sales', 'orders'].includes(handoff.skillGroup))).toBe(true);
    expect((await li.call('GET', `/api/v1/handoffs/${handoffId}`)).status).toBe(404);
    expect((await li.call('POST', `/api/v1/handoffs/${handoffId}/accept`)).status).toBe(404);
    const wangQueue = await wang.call('GET', '/api/v1/handoffs?status=waiting');
    expect(wangQueue.body.handoffs.map((handoff: { id: string }) => handoff.id)).toContain(handoffId);
    expect((await li.call('GET', '/api/v1/lead/overview')).status).toBe(403);
  });

  it('hands the agent everything the bot knew: KB entries cited, intent, tags, failed turns, summary', async () => {
    const created = await api(service.url, 'POST', '/api/v1/conversations', { customer: { name: '张三', tags: ['老客户'] } });
    const id = created.body.id as string;
    const answered = await say(id, '怎么开发票');
    const cited = answered.body.reply.citations[0];
    expect(cited).toMatchObject({ entryId: expect.any(String), title: expect.any(String), kbVersion: 1 });
    await say(id, '今天北京天气怎么样');
    const turn = await say(id, '转人工');
    const handoffId = turn.body.handoff.id as string;
    const detail = await api(service.url, 'GET', `/api/v1/handoffs/${handoffId}`, undefined, agentHeaders);
    expect(detail.body.handoff.context).toMatchObject({
      intent: 'human_request', triggerMessage: '转人工', customerName: '张三', customerTags: ['老客户'], failedTurns: 1, lang: 'zh', channel: 'web',
      citations: [expect.objectContaining({ entryId: cited.entryId, title: cited.title, kbVersion: 1 })],
    });
    // "转人工" itself matches the KB entry on reaching a person (presales); the conversation was
    // about invoices, so it goes to the group of the invoice entry.
    expect(detail.body.handoff.skillGroup).toBe('orders');
    expect(detail.body.handoff.summary).toContain('怎么开发票');
    expect(detail.body.handoff.summary).toContain(cited.title);
    const messages = detail.body.conversation.messages as Array<{ role: string; channel: string; citations?: unknown[] }>;
    expect(messages.every((message) => message.channel === 'web')).toBe(true);
    expect(messages.find((message) => message.role === 'bot' && message.citations)?.citations).toEqual([cited]);
  });

  it('lets exactly one of two agents accept, and the winner reply', async () => {
    const { id, handoffId } = await handedOff();
    const wang = await signIn(service.url, 'xiaowang');
    const zhang = await signIn(service.url, 'xiaozhang', DEMO_PASSWORD).catch(() => undefined);
    const lead = await signIn(service.url, 'lead');
    const results = await Promise.all([wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`), lead.call('POST', `/api/v1/handoffs/${handoffId}/accept`)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const winner = results[0]?.status === 200 ? wang : lead;
    const loser = winner === wang ? lead : wang;
    expect((await loser.call('POST', `/api/v1/handoffs/${handoffId}/messages`, { text: '我来' })).status).toBe(409);
    expect((await winner.call('POST', `/api/v1/handoffs/${handoffId}/messages`, { text: '您好，我来帮您' })).status).toBe(201);
    const transcript = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(transcript.body.messages.some((message: { role: string; text: string }) => message.role === 'agent' && message.text === '您好，我来帮您')).toBe(true);
    expect(zhang).toBeUndefined(); // still rate-limited from the test above
  });

  it('transfers with an internal note the customer never sees', async () => {
    const { id, handoffId } = await handedOff();
    const wang = await signIn(service.url, 'xiaowang');
    await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`);
    expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/transfer`, { skillGroup: 'after-sales', note: '' })).status).toBe(400);
    const moved = await wang.call('POST', `/api/v1/handoffs/${handoffId}/transfer`, { skillGroup: 'after-sales', note: '客户要退款，内部备注：已核实订单' });
    expect(moved.body.handoff).toMatchObject({ status: 'waiting', skillGroup: 'after-sales' });
    expect(moved.body.handoff).not.toHaveProperty('agentId');
    const li = await signIn(service.url, 'xiaoli');
    const detail = await li.call('GET', `/api/v1/handoffs/${handoffId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.notes.map((note: { text: string }) => note.text)).toContain('客户要退款，内部备注：已核实订单');
    expect((await wang.call('GET', `/api/v1/handoffs/${handoffId}`)).status).toBe(404);
    const customer = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(customer.body.status).toBe('queued');
    const texts = customer.body.messages.map((message: { text: string }) => message.text).join('\n');
    expect(texts).toContain('正在为您转接售后服务');
    expect(texts).not.toContain('内部备注');
    const note = await li.call('POST', `/api/v1/handoffs/${handoffId}/notes`, { text: '仅客服可见' });
    expect(note.status).toBe(201);
    expect(JSON.stringify((await api(service.url, 'GET', `/api/v1/conversations/${id}`)).body)).not.toContain('仅客服可见');
  });

  it('returns the customer to the bot', async () => {
    const { id, handoffId } = await handedOff();
    const wang = await signIn(service.url, 'xiaowang');
    await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`);
    const returned = await wang.call('POST', `/api/v1/handoffs/${handoffId}/return`);
    expect(returned.body.handoff.status).toBe('cancelled');
    const customer = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(customer.body.status).toBe('bot');
    expect(customer.body.messages.at(-1).text).toContain('已为您转回智能助手');
    const next = await say(id, '东西买回来不喜欢，七天内还能退吗');
    expect(next.body).toMatchObject({ status: 'bot', reply: { citations: [expect.objectContaining({ entryId: expect.stringMatching(/return/) })] } });
  });

  it('takes a 1-5 rating after resolution, once, and shows it to the team lead', async () => {
    const { id, handoffId } = await handedOff();
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/rating`, { score: 5 })).status).toBe(409);
    const wang = await signIn(service.url, 'xiaowang');
    await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`);
    await wang.call('POST', `/api/v1/handoffs/${handoffId}/resolve`);
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/rating`, { score: 6 })).status).toBe(400);
    const rated = await api(service.url, 'POST', `/api/v1/conversations/${id}/rating`, { score: 5, comment: '很专业' });
    expect(rated.status).toBe(201);
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/rating`, { score: 1 })).status).toBe(409);
    const lead = await signIn(service.url, 'lead');
    const overview = await lead.call('GET', '/api/v1/lead/overview');
    expect(overview.body.totals.resolvedToday).toBeGreaterThanOrEqual(1);
    expect(overview.body.totals.csat.ratings).toBeGreaterThanOrEqual(1);
    expect(overview.body.groups.map((group: { id: string }) => group.id)).toContain('presales');
    expect(overview.body.agents.find((agent: { id: string }) => agent.id === 'xiaowang')).toMatchObject({ resolvedToday: expect.any(Number) });
    const detail = await wang.call('GET', `/api/v1/handoffs/${handoffId}`);
    expect(detail.body.rating).toEqual({ score: 5, comment: '很专业' });
    const actions = await lead.call('GET', `/api/v1/lead/actions?handoffId=${handoffId}`);
    expect(actions.body.actions.map((action: { action: string }) => action.action)).toEqual(['resolve', 'accept']);
  });

  it('takes a bare digit right after resolution as the rating', async () => {
    const { id, handoffId } = await handedOff();
    await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/accept`, {}, agentHeaders);
    await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/resolve`, {}, agentHeaders);
    const reply = await say(id, '4');
    expect(reply.body).toMatchObject({ status: 'closed', reply: { intent: 'rating' } });
    expect(reply.body.reply.text).toContain('感谢您的评价');
    const detail = await api(service.url, 'GET', `/api/v1/handoffs/${handoffId}`, undefined, agentHeaders);
    expect(detail.body.rating).toEqual({ score: 4, comment: null });
    expect((await say(id, '5')).body.status).toBe('bot'); // rated already: a new question reopens it
  });

  it('hands an angry customer off at once, served before a calmer one who waited longer', async () => {
    // Both are complaints, which route to after-sales; only the angry one has priority.
    const calm = await handedOff('我要投诉，快递太慢了');
    const angry = await handedOff('气死了，你们这什么破服务，垃圾！');
    expect(calm.turn.body.handoff).toMatchObject({ reason: 'intent', skillGroup: 'after-sales' });
    expect(angry.turn.body.handoff).toMatchObject({ reason: 'emotion', skillGroup: 'after-sales' });
    const detail = await api(service.url, 'GET', `/api/v1/handoffs/${angry.handoffId}`, undefined, agentHeaders);
    expect(detail.body.handoff.context.emotion).toBe('angry');
    expect(detail.body.handoff.priority).toBeGreaterThan(0);
    const customerMessage = detail.body.conversation.messages.find((message: { role: string }) => message.role === 'customer');
    expect(customerMessage).toMatchObject({ emotion: 'angry', channel: 'web' });
    const queue = await api(service.url, 'GET', '/api/v1/handoffs?status=waiting&skillGroup=after-sales', undefined, agentHeaders);
    const order = queue.body.handoffs.map((handoff: { id: string }) => handoff.id);
    expect(order).toContain(calm.handoffId);
    expect(order.indexOf(angry.handoffId)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(angry.handoffId)).toBeLessThan(order.indexOf(calm.handoffId));
    // The calm customer was pushed back one place, and is told so.
    const calmNow = await api(service.url, 'GET', `/api/v1/conversations/${calm.id}`);
    expect(calmNow.body.handoff.position).toBe(calm.turn.body.handoff.position + 1);
    expect(angry.turn.body.handoff.position).toBeLessThan(calmNow.body.handoff.position);
  });

  it('tells a waiting customer their new place live as the queue moves', async () => {
    const ahead = await handedOff();
    const behind = await handedOff();
    const stream = await openEventStream(`${service.url}/api/v1/conversations/${behind.id}/events`);
    try {
      const first = await stream.waitFor((event) => event.event === 'status' && event.data.handoff?.id === behind.handoffId);
      const place = first.data.handoff.position as number;
      expect(first.data).toMatchObject({ status: 'queued', handoff: { status: 'waiting' } });
      expect(place).toBe(behind.turn.body.handoff.position);
      expect(place).toBeGreaterThan(ahead.turn.body.handoff.position);
      const wang = await signIn(service.url, 'xiaowang');
      expect((await wang.call('POST', `/api/v1/handoffs/${ahead.handoffId}/accept`)).status).toBe(200);
      const moved = await stream.waitFor((event) => event.event === 'status' && event.data.handoff?.position === place - 1);
      expect(moved.data).toMatchObject({ status: 'queued', handoff: { id: behind.handoffId, status: 'waiting' } });
      // Its own turn comes: the customer hears the agent joined, and the card goes away.
      await wang.call('POST', `/api/v1/handoffs/${behind.handoffId}/accept`);
      const joined = await stream.waitFor((event) => event.event === 'status' && event.data.status === 'agent');
      expect(joined.data.handoff).toMatchObject({ status: 'accepted', position: 0 });
      const line = await stream.waitFor((event) => event.event === 'message' && event.data.role === 'system' && /已接入/.test(event.data.text));
      expect(line.data.text).toContain('小王');
    } finally {
      stream.close();
    }
  });

  it('streams queue changes and customer messages of my groups only', async () => {
    const wang = await signIn(service.url, 'xiaowang');
    const li = await signIn(service.url, 'xiaoli');
    const wangStream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${wang.token}`);
    const liStream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${li.token}`);
    try {
      const { id, handoffId } = await handedOff();
      await wangStream.waitFor((event) => event.event === 'handoff' && event.data.id === handoffId && event.data.status === 'waiting');
      await say(id, '还在吗？');
      const message = await wangStream.waitFor((event) => event.event === 'customer-message' && event.data.handoffId === handoffId);
      expect(message.data).toMatchObject({ text: '还在吗？', conversationId: id });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(liStream.events.some((event) => event.data?.id === handoffId || event.data?.handoffId === handoffId)).toBe(false);
    } finally {
      wangStream.close();
      liStream.close();
    }
  });

  it('lets a customer leave the queue (取消排队)', async () => {
    const { id, handoffId } = await handedOff();
    const left = await api(service.url, 'POST', `/api/v1/conversations/${id}/queue/leave`, {});
    expect(left.body).toEqual({ status: 'bot' });
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/queue/leave`, {})).status).toBe(409);
    const customer = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(customer.body.status).toBe('bot');
    expect(customer.body.messages.at(-1).text).toContain('已为您取消排队');
    const detail = await api(service.url, 'GET', `/api/v1/handoffs/${handoffId}`, undefined, agentHeaders);
    expect(detail.body.handoff.status).toBe('cancelled');
  });

  it('lets an external helpdesk reply with the service token only', async () => {
    const { id, handoffId } = await handedOff();
    const li = await signIn(service.url, 'lead');
    expect((await li.call('POST', `/api/v1/helpdesk/handoffs/${handoffId}/messages`, { text: 'hi' })).status).toBe(401);
    const posted = await api(service.url, 'POST', `/api/v1/helpdesk/handoffs/${handoffId}/messages`, { text: '您好，这里是工单系统的客服', agentName: '外部客服' }, agentHeaders);
    expect(posted.status).toBe(201);
    const customer = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(customer.body.status).toBe('agent');
    expect(customer.body.messages.at(-1)).toMatchObject({ role: 'agent', text: '您好，这里是工单系统的客服' });
  });
});
