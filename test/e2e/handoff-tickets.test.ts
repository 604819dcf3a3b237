import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/agent-client.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

/** The sample KB with presales (the default group) closed all week. */
function knowledgeWithClosedPresales(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-kb-closed-'));
  cpSync(path.resolve('knowledge'), dir, { recursive: true });
  const file = path.join(dir, 'skill-groups.yaml');
  const yaml = readFileSync(file, 'utf8').replace(
    '    max_chats_per_agent: 6\n    sla_seconds: 180\n',
    '    max_chats_per_agent: 6\n    sla_seconds: 180\n    hours: { time_zone: Asia/Shanghai, days: {} }\n',
  );
  if (!yaml.includes('days: {}')) throw new Error('sample skill-groups.yaml changed; update this test');
  writeFileSync(file, yaml);
  return dir;
}

const ticketPattern = /T\d{8}-\d{4}/;
let service: TestService;
let knowledgeDir: string;

beforeAll(async () => {
  knowledgeDir = knowledgeWithClosedPresales();
  service = await startTestService({ KNOWLEDGE_DIR: knowledgeDir, HANDOFF_TICKET_WHEN_NOBODY_ONLINE: 'true' });
});
afterAll(async () => {
  await service.destroy();
  rmSync(knowledgeDir, { recursive: true, force: true });
});

async function conversation(lang: 'zh' | 'en' = 'zh') {
  const created = await api(service.url, 'POST', '/api/v1/conversations', { customer: { lang } });
  return created.body.id as string;
}
const say = (id: string, text: string) => api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text });

describe('out of hours and nobody online', () => {
  it('opens a ticket with a number and a promise in the customer language, and finds it by number', async () => {
    const id = await conversation();
    const turn = await say(id, '转人工');
    expect(turn.body).toMatchObject({ status: 'bot', handoff: null, reply: { intent: 'ticket_created' } });
    expect(turn.body.reply.text).toContain('当前为非工作时间');
    const number = ticketPattern.exec(turn.body.reply.text)?.[0] as string;
    expect(number).toBeTruthy();
    expect(turn.body.reply.text).toMatch(/前回复您/);

    // Asked later, in another conversation and in English, in lower case.
    const other = await conversation('en');
    const status = await say(other, `what is the status of ${number.toLowerCase()}?`);
    expect(status.body.reply).toMatchObject({ intent: 'ticket_status' });
    expect(status.body.reply.text).toContain(number);
    expect(status.body.reply.text).toMatch(/being handled/);
    const unknown = await say(other, 'T19990101-0001');
    expect(unknown.body.reply.text).toMatch(/couldn't find ticket T19990101-0001/);
  });

  it('numbers tickets of a day one after another', async () => {
    const numbers: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const turn = await say(await conversation('en'), 'I want to talk to a human');
      expect(turn.body.reply.text).toMatch(/We're offline/);
      numbers.push(ticketPattern.exec(turn.body.reply.text)?.[0] as string);
    }
    const sequence = numbers.map((number) => Number(number.slice(-4)));
    expect(sequence[1]).toBe((sequence[0] as number) + 1);
    expect(sequence[2]).toBe((sequence[0] as number) + 2);
  });

  it('opens a ticket in hours when nobody of the group is signed in, and queues once someone is', async () => {
    // A complaint routes to after-sales, which is open around the clock.
    const id = await conversation();
    const nobody = await say(id, '我要投诉，你们的服务太差了');
    expect(nobody.body.reply.text).toContain('当前暂无人工客服在线');
    expect(nobody.body.reply.text).toMatch(ticketPattern);

    const li = await signIn(service.url, 'xiaoli');
    const again = await say(await conversation(), '我要投诉，你们的服务太差了');
    expect(again.body).toMatchObject({ status: 'queued', handoff: { skillGroup: 'after-sales' } });
    expect(again.body.handoff).not.toHaveProperty('etaMinutes'); // no history yet: no made-up estimate
    await li.call('POST', '/api/v1/agent/logout');
  });

  it('estimates the wait from recent handle times once there are some', async () => {
    const li = await signIn(service.url, 'xiaoli');
    for (let index = 0; index < 3; index += 1) {
      const turn = await say(await conversation(), '我要投诉，快递太慢了');
      const handoffId = turn.body.handoff.id as string;
      await li.call('POST', `/api/v1/handoffs/${handoffId}/accept`);
      await li.call('POST', `/api/v1/handoffs/${handoffId}/resolve`);
    }
    const waiting = await say(await conversation(), '我要投诉，客服态度差');
    expect(waiting.body.handoff).toMatchObject({ status: 'waiting', etaMinutes: 1 });
    const notice = waiting.body.messages.find((message: { role: string }) => message.role === 'system');
    expect(notice.text).toContain('预计等待约 1 分钟');
    const queue = await api(service.url, 'GET', '/api/v1/handoffs?status=waiting&skillGroup=after-sales', undefined, agentHeaders);
    const card = queue.body.handoffs.find((handoff: { id: string }) => handoff.id === waiting.body.handoff.id);
    expect(card.suggestedAgentId).toBe('xiaoli');
  });
});
