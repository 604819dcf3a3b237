import { describe, expect, it } from 'vitest';
import { signIn } from '../support/agent-client.js';
import { api, type TestService, useTestService } from '../support/test-service.js';

let service: TestService;

useTestService((started) => (service = started));

describe('the team-lead overview', () => {
  it('shows first response time, handoff rate and bot resolution rate over today\'s conversations', async () => {
    const start = async () => (await api(service.url, 'POST', '/api/v1/conversations', {})).body.id as string;
    const say = (id: string, text: string) => api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text });
    // Answered by the bot from the KB.
    const answered = await say(await start(), '尺码怎么选');
    expect(answered.body).toMatchObject({ status: 'bot', failedTurns: 0 });
    // Handed off, then answered by 小王.
    const handed = await say(await start(), '转人工');
    const handoffId = handed.body.handoff.id as string;
    // Opened and never asked: not a conversation for these rates.
    await start();
    const wang = await signIn(service.url, 'xiaowang');
    await wang.call('POST', `/api/v1/handoffs/${handoffId}/accept`);
    expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/messages`, { text: '您好，我是小王' })).status).toBe(201);

    const lead = await signIn(service.url, 'lead');
    const overview = (await lead.call('GET', '/api/v1/lead/overview?tz=UTC')).body;
    expect(overview.totals).toMatchObject({ conversations: 2, handoffRate: 0.5, botResolutionRate: 0.5 });
    expect(overview.totals.averageFirstResponseSeconds).toEqual(expect.any(Number));
    const presales = overview.groups.find((group: { id: string }) => group.id === 'presales');
    expect(presales).toMatchObject({ firstResponseTargetSeconds: 120, slaSeconds: 180, waiting: 0, agentsOnline: expect.any(Number) });
    expect(presales.averageFirstResponseSeconds).toBe(overview.totals.averageFirstResponseSeconds);
    expect(overview.groups.find((group: { id: string }) => group.id === 'orders')).toMatchObject({ firstResponseTargetSeconds: 300, averageFirstResponseSeconds: null });
    expect(overview.agents.find((agent: { id: string }) => agent.id === 'xiaowang')).toMatchObject({ active: 1, resolvedToday: 0 });
  });
});
