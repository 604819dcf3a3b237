import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/agent-client.js';
import { usePostgresSchema } from '../support/postgres-schema.js';
import { openEventStream } from '../support/sse-client.js';
import { api, startTestService, type TestService } from '../support/test-service.js';

const url = process.env.DATABASE_URL;

describe.skipIf(!url)('the agent console on PostgreSQL, two app instances (set DATABASE_URL to run)', () => {
  const postgres = usePostgresSchema('e2e_handoff');
  let first: TestService;
  let second: TestService;

  beforeAll(async () => {
    first = await startTestService({ DATABASE_URL: postgres.databaseUrl() });
    second = await startTestService({ DATABASE_URL: postgres.databaseUrl() });
  });
  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
  });

  async function handedOff(service: TestService) {
    const created = await api(service.url, 'POST', '/api/v1/conversations', {});
    const id = created.body.id as string;
    const turn = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '转人工' });
    expect(turn.body.handoff).toMatchObject({ skillGroup: 'presales', status: 'waiting' });
    return { id, handoffId: turn.body.handoff.id as string };
  }

  it('shows a chat queued on one instance live on the other, and lets exactly one of two agents accept it', async () => {
    const wang = await signIn(first.url, 'xiaowang'); // presales, on the first instance
    const zhang = await signIn(second.url, 'xiaozhang'); // presales, on the second
    const queue = await openEventStream(`${second.url}/api/v1/handoffs/events?access_token=${zhang.token}`);
    try {
      for (let round = 0; round < 5; round += 1) {
        const { handoffId } = await handedOff(first);
        await queue.waitFor((event) => event.event === 'handoff' && event.data.id === handoffId && event.data.status === 'waiting');
        const results = await Promise.all([
          wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`),
          zhang.call('POST', `/api/v1/handoffs/${handoffId}/accept`),
        ]);
        expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
        const winner = results[0]?.status === 200 ? 'xiaowang' : 'xiaozhang';
        const loser = results.find((result) => result.status === 409);
        expect(loser?.body.error).toMatchObject({ code: 'already_accepted', message: `already accepted by ${winner}` });
        // Both instances read the same single winner.
        for (const agent of [wang, zhang]) {
          expect((await agent.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff).toMatchObject({ status: 'accepted', agentId: winner });
        }
        const actions = await api(first.url, 'GET', `/api/v1/lead/actions?handoffId=${handoffId}`, undefined, (await signIn(second.url, 'lead')).headers);
        expect(actions.body.actions.filter((action: { action: string }) => action.action === 'accept')).toHaveLength(1);
      }
    } finally {
      queue.close();
    }
  });

  it("delivers an agent's reply on one instance to the customer following on the other", async () => {
    const { id, handoffId } = await handedOff(second);
    const customer = await openEventStream(`${first.url}/api/v1/conversations/${id}/events`);
    try {
      const wang = await signIn(second.url, 'xiaowang');
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`)).status).toBe(200);
      await customer.waitFor((event) => event.event === 'status' && event.data.status === 'agent');
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/messages`, { text: '您好，我是小王' })).status).toBe(201);
      const reply = await customer.waitFor((event) => event.event === 'message' && event.data.role === 'agent');
      expect(reply.data).toMatchObject({ text: '您好，我是小王', channel: 'web' });
      await wang.call('POST', `/api/v1/handoffs/${handoffId}/resolve`);
      await customer.waitFor((event) => event.event === 'status' && event.data.status === 'closed');
      const rated = await api(first.url, 'POST', `/api/v1/conversations/${id}/rating`, { score: 5 });
      expect(rated.status).toBe(201);
      expect((await wang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.rating).toEqual({ score: 5, comment: null });
    } finally {
      customer.close();
    }
  });

  it('carries typing and viewing between instances over LISTEN/NOTIFY', async () => {
    const { id, handoffId } = await handedOff(first);
    const wang = await signIn(second.url, 'xiaowang');
    const zhang = await signIn(first.url, 'xiaozhang');
    const customer = await openEventStream(`${first.url}/api/v1/conversations/${id}/events`);
    const wangStream = await openEventStream(`${second.url}/api/v1/handoffs/events?access_token=${wang.token}`);
    try {
      await customer.waitFor((event) => event.event === 'status');
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`)).status).toBe(200);
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/typing`, { active: true })).status).toBe(204);
      expect((await customer.waitFor((event) => event.event === 'typing')).data).toEqual({ role: 'agent', active: true, name: '小王' });
      expect((await api(first.url, 'POST', `/api/v1/conversations/${id}/typing`, { active: true })).status).toBe(204);
      expect((await wangStream.waitFor((event) => event.event === 'typing')).data).toMatchObject({ handoffId, role: 'customer', active: true });
      expect((await zhang.call('POST', `/api/v1/handoffs/${handoffId}/viewing`)).status).toBe(204);
      expect((await wangStream.waitFor((event) => event.event === 'viewing')).data).toMatchObject({ handoffId, agentId: 'xiaozhang', name: '小张' });
    } finally {
      customer.close();
      wangStream.close();
    }
  });
});
