import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from '../../src/store/event-payload.js';
import { signIn } from '../support/agent-client.js';
import { openEventStream } from '../support/sse-client.js';
import { api, type TestService, useTestService } from '../support/test-service.js';

let service: TestService;

useTestService((started) => (service = started));

async function handedOff() {
  const created = await api(service.url, 'POST', '/api/v1/conversations', {});
  const id = created.body.id as string;
  const turn = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '转人工' });
  expect(turn.body.handoff).toBeTruthy();
  return { id, handoffId: turn.body.handoff.id as string };
}

describe('typing and presence', () => {
  it('carries typing and viewing over the event bus encoding unchanged', () => {
    const typing = { type: 'typing', conversationId: 'c1', role: 'agent', active: true, agentId: 'xiaowang', name: '小王' } as const;
    const viewing = { type: 'viewing', conversationId: 'c1', handoffId: 'h1', agentId: 'xiaowang', name: '小王' } as const;
    expect(decodeEvent(encodeEvent(typing))).toEqual(typing);
    expect(decodeEvent(encodeEvent(viewing))).toEqual(viewing);
    expect(() => decodeEvent('{"type":"typing","conversationId":"c1","role":"bot","active":true}')).toThrow(/invalid/);
  });

  it('shows the agent typing to the customer, and the customer typing to agents of the group', async () => {
    const { id, handoffId } = await handedOff();
    const wang = await signIn(service.url, 'xiaowang');
    const li = await signIn(service.url, 'xiaoli'); // not in presales: sees nothing
    const customer = await openEventStream(`${service.url}/api/v1/conversations/${id}/events`);
    const wangStream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${wang.token}`);
    const liStream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${li.token}`);
    try {
      await customer.waitFor((event) => event.event === 'status');
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`)).status).toBe(200);
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/typing`, { active: true })).status).toBe(204);
      const typing = await customer.waitFor((event) => event.event === 'typing');
      expect(typing.data).toEqual({ role: 'agent', active: true, name: '小王' });

      expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/typing`, { active: true })).status).toBe(204);
      const seen = await wangStream.waitFor((event) => event.event === 'typing');
      expect(seen.data).toMatchObject({ handoffId, conversationId: id, role: 'customer', active: true });
      // The agent's own typing does not come back to them; the customer's does not echo to the customer.
      expect(wangStream.events.filter((event) => event.event === 'typing').every((event) => event.data.role === 'customer')).toBe(true);
      expect(customer.events.filter((event) => event.event === 'typing').every((event) => event.data.role === 'agent')).toBe(true);
      expect(liStream.events.some((event) => event.event === 'typing')).toBe(false);

      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/typing`, { active: false })).status).toBe(204);
      await customer.waitFor((event) => event.event === 'typing' && event.data.active === false);
    } finally {
      customer.close();
      wangStream.close();
      liStream.close();
    }
  });

  it('tells an agent when a colleague opens the same chat', async () => {
    const { id, handoffId } = await handedOff();
    const wang = await signIn(service.url, 'xiaowang');
    const zhang = await signIn(service.url, 'xiaozhang');
    const wangStream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${wang.token}`);
    try {
      expect((await zhang.call('POST', `/api/v1/handoffs/${handoffId}/viewing`)).status).toBe(204);
      const viewing = await wangStream.waitFor((event) => event.event === 'viewing');
      expect(viewing.data).toEqual({ handoffId, conversationId: id, agentId: 'xiaozhang', name: '小张' });
    } finally {
      wangStream.close();
    }
  });

  it('times the customer from their oldest unanswered message, and stops when an agent answers', async () => {
    const { id, handoffId } = await handedOff();
    const wang = await signIn(service.url, 'xiaowang');
    const wangStream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${wang.token}`);
    try {
      const waiting = await wang.call('GET', `/api/v1/handoffs/${handoffId}`);
      expect(waiting.body.handoff.customerWaitingSince).toBe(waiting.body.handoff.createdAt);
      expect(wang.agent.groups.find((group: { id: string }) => group.id === 'presales')).toMatchObject({ slaSeconds: 180, firstResponseTargetSeconds: 120 });
      await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`);
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/messages`, { text: '您好，我是小王' })).status).toBe(201);
      await wangStream.waitFor((event) => event.event === 'answered' && event.data.handoffId === handoffId);
      expect((await wang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff.customerWaitingSince).toBeNull();
      const again = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '在吗' });
      const asked = again.body.messages.find((message: { role: string }) => message.role === 'customer');
      expect((await wang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff.customerWaitingSince).toBe(asked.at);
    } finally {
      wangStream.close();
    }
  });

  it('lists the customer\'s earlier conversations with their last CSAT, for the context panel', async () => {
    const customer = { id: `cust-history-${Date.now()}`, name: '李女士', tags: [] };
    const wang = await signIn(service.url, 'xiaowang');
    const first = (await api(service.url, 'POST', '/api/v1/conversations', { customer })).body.id as string;
    const firstTurn = await api(service.url, 'POST', `/api/v1/conversations/${first}/messages`, { text: '转人工' });
    const firstHandoff = firstTurn.body.handoff.id as string;
    await wang.call('POST', `/api/v1/handoffs/${firstHandoff}/accept`);
    await wang.call('POST', `/api/v1/handoffs/${firstHandoff}/resolve`);
    expect((await api(service.url, 'POST', `/api/v1/conversations/${first}/rating`, { score: 4, comment: '还行' })).status).toBe(201);
    const second = (await api(service.url, 'POST', '/api/v1/conversations', { customer })).body.id as string;
    const secondTurn = await api(service.url, 'POST', `/api/v1/conversations/${second}/messages`, { text: '转人工' });
    const history = await wang.call('GET', `/api/v1/handoffs/${secondTurn.body.handoff.id as string}/history`);
    expect(history.status).toBe(200);
    expect(history.body.conversations).toEqual([expect.objectContaining({
      id: first, status: 'closed', firstQuestion: '转人工', rating: expect.objectContaining({ score: 4, comment: '还行' }),
      handoff: expect.objectContaining({ id: firstHandoff, status: 'resolved', skillGroup: 'presales' }),
    })]);
    // From the first conversation, the later one is listed (every other conversation of the customer), unrated.
    const back = await wang.call('GET', `/api/v1/handoffs/${firstHandoff}/history`);
    expect(back.body.conversations.map((item: { id: string }) => item.id)).toEqual([second]);
    expect(back.body.conversations[0].rating).toBeNull();
    // Another group's agent cannot read it.
    const li = await signIn(service.url, 'xiaoli');
    expect((await li.call('GET', `/api/v1/handoffs/${firstHandoff}/history`)).status).toBe(404);
  });

  it('refuses typing for an unknown conversation, and rate-limits a client that does not throttle', async () => {
    expect((await api(service.url, 'POST', '/api/v1/conversations/nope/typing', { active: true })).status).toBe(404);
    const { id } = await handedOff();
    const statuses: number[] = [];
    for (let i = 0; i < 45; i += 1) statuses.push((await api(service.url, 'POST', `/api/v1/conversations/${id}/typing`, {})).status);
    expect(statuses.slice(0, 40).every((status) => status === 204)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});
