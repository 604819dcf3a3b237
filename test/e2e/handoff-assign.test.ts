import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/agent-client.js';
import { usePostgresSchema } from '../support/postgres-schema.js';
import { openEventStream } from '../support/sse-client.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

/** The sample KB with presales (the default group, 小王 and 小张 and the lead) limited to 2 chats each. */
function knowledgeWithSmallPresales(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-kb-assign-'));
  cpSync(path.resolve('knowledge'), dir, { recursive: true });
  const file = path.join(dir, 'skill-groups.yaml');
  const yaml = readFileSync(file, 'utf8').replace('    max_chats_per_agent: 6\n    sla_seconds: 180\n', '    max_chats_per_agent: 2\n    sla_seconds: 180\n');
  if (!yaml.includes('max_chats_per_agent: 2\n    sla_seconds: 180')) throw new Error('sample skill-groups.yaml changed; update this test');
  writeFileSync(file, yaml);
  return dir;
}

type Service = TestService;
const say = (service: Service, id: string, text: string) => api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text });

async function conversation(service: Service, lang: 'zh' | 'en' = 'zh'): Promise<string> {
  return (await api(service.url, 'POST', '/api/v1/conversations', { customer: { lang } })).body.id as string;
}

/** Polls the customer's view of a conversation until `done` holds (or fails after 5 s). */
async function eventually(service: Service, id: string, done: (body: Record<string, any>) => boolean): Promise<Record<string, any>> {
  let body: Record<string, any> = {};
  for (let round = 0; round < 100; round += 1) {
    body = (await api(service.url, 'GET', `/api/v1/conversations/${id}`)).body;
    if (done(body)) return body;
    await sleep(50);
  }
  throw new Error(`conversation ${id} never got there: ${JSON.stringify(body)}`);
}

const joinedBy = (name: string) => (body: Record<string, any>) =>
  body.status === 'agent' && body.messages.some((message: { intent?: string; text: string }) => message.intent === 'agent_joined' && message.text.includes(name));

describe('automatic assignment (HANDOFF_AUTO_ASSIGN=true)', () => {
  let service: Service;
  let knowledgeDir: string;
  let wang: Awaited<ReturnType<typeof signIn>>;
  let zhang: Awaited<ReturnType<typeof signIn>>;
  let lead: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    knowledgeDir = knowledgeWithSmallPresales();
    service = await startTestService({ KNOWLEDGE_DIR: knowledgeDir, HANDOFF_AUTO_ASSIGN: 'true' });
    wang = await signIn(service.url, 'xiaowang');
    zhang = await signIn(service.url, 'xiaozhang');
  });
  afterAll(async () => {
    await service.destroy();
    rmSync(knowledgeDir, { recursive: true, force: true });
  });

  /** A new conversation handed off on request (no topic: presales); returns its ids and turn. */
  async function handedOff() {
    const id = await conversation(service);
    const turn = await say(service, id, '转人工');
    expect(turn.body.handoff).toBeTruthy();
    return { id, handoffId: turn.body.handoff.id as string, turn };
  }

  it('gives a queued chat to an online agent who never accepts it, live in their queue, and tells the customer', async () => {
    const stream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${wang.token}`);
    try {
      const { id, handoffId, turn } = await handedOff();
      expect(turn.body).toMatchObject({ status: 'agent', handoff: { id: handoffId, status: 'accepted', position: 0 } });
      // The queue notice first, then who joined.
      const system = turn.body.messages.filter((message: { role: string }) => message.role === 'system');
      expect(system.map((message: { intent: string }) => message.intent)).toEqual(['human_request', 'agent_joined']);
      expect(system[1].text).toContain('客服 小王 已接入');
      const pushed = await stream.waitFor((event) => event.event === 'handoff' && event.data.id === handoffId && event.data.status === 'accepted');
      expect(pushed.data).toMatchObject({ agentId: 'xiaowang', skillGroup: 'presales' });
      const detail = await wang.call('GET', `/api/v1/handoffs/${handoffId}`);
      expect(detail.body.handoff).toMatchObject({ status: 'accepted', agentId: 'xiaowang' });
      expect(detail.body.conversation.status).toBe('agent');
      // No accept needed: the agent replies at once, and nobody else can take the chat.
      expect((await wang.call('POST', `/api/v1/handoffs/${handoffId}/messages`, { text: '您好，我是小王' })).status).toBe(201);
      expect((await zhang.call('POST', `/api/v1/handoffs/${handoffId}/accept`)).status).toBe(409);
      const customer = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
      expect(customer.body.messages.at(-1)).toMatchObject({ role: 'agent', text: '您好，我是小王' });
    } finally {
      stream.close();
    }
  });

  it('gives the next chat to the less busy agent, then breaks the tie by the file order', async () => {
    const stream = await openEventStream(`${service.url}/api/v1/handoffs/events?access_token=${zhang.token}`);
    try {
      const second = await handedOff();
      expect(second.turn.body.status).toBe('agent');
      const pushed = await stream.waitFor((event) => event.event === 'handoff' && event.data.id === second.handoffId && event.data.status === 'accepted');
      expect(pushed.data.agentId).toBe('xiaozhang');
      expect(second.turn.body.messages.at(-1).text).toContain('客服 小张 已接入');
      const third = await handedOff();
      expect((await wang.call('GET', `/api/v1/handoffs/${third.handoffId}`)).body.handoff.agentId).toBe('xiaowang');
      const fourth = await handedOff();
      expect((await zhang.call('GET', `/api/v1/handoffs/${fourth.handoffId}`)).body.handoff.agentId).toBe('xiaozhang');
    } finally {
      stream.close();
    }
  });

  it('queues when every agent is at capacity, and assigns when one finishes a chat or signs in', async () => {
    const full = await handedOff();
    expect(full.turn.body).toMatchObject({ status: 'queued', handoff: { status: 'waiting', position: 1 } });
    // 小王 resolves one of his two chats: the waiting one is his without an accept.
    const mine = (await wang.call('GET', '/api/v1/handoffs?status=accepted')).body.handoffs.filter((handoff: { agentId: string }) => handoff.agentId === 'xiaowang');
    expect(mine).toHaveLength(2);
    expect((await wang.call('POST', `/api/v1/handoffs/${mine[0].id}/resolve`)).status).toBe(200);
    await eventually(service, full.id, joinedBy('小王'));

    const next = await handedOff();
    expect(next.turn.body.status).toBe('queued');
    lead = await signIn(service.url, 'lead');
    await eventually(service, next.id, joinedBy('王组长'));
    expect((await lead.call('GET', `/api/v1/handoffs/${next.handoffId}`)).body.handoff.agentId).toBe('lead');
  });

  it('passes over busy agents, keeps manual accept working, and assigns when the agent is back online', async () => {
    expect((await lead.call('POST', '/api/v1/agent/status', { status: 'busy' })).status).toBe(200);
    const accepted = await handedOff();
    expect(accepted.turn.body.status).toBe('queued');
    const accept = await api(service.url, 'POST', `/api/v1/handoffs/${accepted.handoffId}/accept`, { agentName: '外部客服' }, agentHeaders);
    expect(accept.status).toBe(200);
    expect(accept.body.handoff).toMatchObject({ status: 'accepted', agentId: 'service' });

    // The lead finishes a chat while busy: the freed place is not filled.
    const waiting = await handedOff();
    const leads = (await lead.call('GET', '/api/v1/handoffs?status=accepted')).body.handoffs.filter((handoff: { agentId: string }) => handoff.agentId === 'lead');
    expect(leads).toHaveLength(1);
    expect((await lead.call('POST', `/api/v1/handoffs/${leads[0].id}/resolve`)).status).toBe(200);
    await sleep(300);
    expect((await api(service.url, 'GET', `/api/v1/conversations/${waiting.id}`)).body.status).toBe('queued');
    // 在线 again: the chat is the lead's.
    expect((await lead.call('POST', '/api/v1/agent/status', { status: 'online' })).status).toBe(200);
    await eventually(service, waiting.id, joinedBy('王组长'));
  });
});

describe('asking for a person with HANDOFF_ON_REQUEST=false', () => {
  let service: Service;

  beforeAll(async () => {
    service = await startTestService({ HANDOFF_ON_REQUEST: 'false' });
  });
  afterAll(async () => {
    await service.destroy();
  });

  it('answers honestly in the customer language, offering the KB and a ticket, and hands off on the other triggers', async () => {
    const id = await conversation(service);
    const asked = await say(service, id, '转人工');
    expect(asked.body).toMatchObject({ status: 'bot', handoff: null, failedTurns: 0, reply: { intent: 'human_request' } });
    expect(asked.body.reply.text).toContain('此渠道暂不提供直接转人工服务');
    expect(asked.body.reply.text).toContain('知识库');
    expect(asked.body.reply.text).toContain('工单');

    const english = await conversation(service, 'en');
    const human = await say(service, english, 'talk to a human');
    expect(human.body).toMatchObject({ status: 'bot', handoff: null });
    expect(human.body.reply.text).toMatch(/isn't available on this channel/);
    expect(human.body.reply.text).toMatch(/ticket/);

    // The bot still answers from the KB, and three failed turns still reach a person.
    expect((await say(service, id, '怎么开发票')).body.reply.citations.length).toBeGreaterThan(0);
    for (const text of ['今天北京天气怎么样', '给我讲个笑话吧']) expect((await say(service, id, text)).body.status).toBe('bot');
    expect((await say(service, id, '转人工')).body).toMatchObject({ status: 'bot', failedTurns: 2 });
    const third = await say(service, id, '帮我写一首关于月亮的诗');
    expect(third.body).toMatchObject({ status: 'queued', failedTurns: 3, handoff: { reason: 'failed_turns' } });
  });
});

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('automatic assignment on PostgreSQL, two app instances (set DATABASE_URL to run)', () => {
  const postgres = usePostgresSchema('e2e_assign');
  let knowledgeDir: string;
  let first: Service;
  let second: Service;

  beforeAll(async () => {
    knowledgeDir = knowledgeWithSmallPresales();
    const settings = { DATABASE_URL: postgres.databaseUrl(), KNOWLEDGE_DIR: knowledgeDir, HANDOFF_AUTO_ASSIGN: 'true' };
    first = await startTestService(settings);
    second = await startTestService(settings);
  });
  afterAll(async () => {
    await first?.destroy();
    await second?.destroy();
    rmSync(knowledgeDir, { recursive: true, force: true });
  });

  it('gives each of many simultaneous handoffs to one agent once, within every agent limit', async () => {
    const wang = await signIn(first.url, 'xiaowang');
    await signIn(second.url, 'xiaozhang');
    const ids = await Promise.all(Array.from({ length: 6 }, (_, index) => conversation(index % 2 === 0 ? first : second)));
    await Promise.all(ids.map((id, index) => say(index % 2 === 0 ? first : second, id, '转人工')));
    const owners = async () => {
      const views = await Promise.all(ids.map((id) => api(first.url, 'GET', `/api/v1/conversations/${id}`)));
      return views.map(({ body }) => ({
        status: body.status as string,
        joined: body.messages.filter((message: { intent?: string }) => message.intent === 'agent_joined').map((message: { text: string }) => message.text) as string[],
      }));
    };
    let seen = await owners();
    for (let round = 0; round < 100 && seen.filter((item) => item.status === 'agent').length < 4; round += 1) {
      await sleep(50);
      seen = await owners();
    }
    // Two each (presales allows 2 per agent), two still queued, and nobody joined a chat twice.
    expect(seen.filter((item) => item.status === 'agent')).toHaveLength(4);
    expect(seen.filter((item) => item.status === 'queued')).toHaveLength(2);
    expect(seen.every((item) => item.joined.length === (item.status === 'agent' ? 1 : 0))).toBe(true);
    const joined = seen.flatMap((item) => item.joined);
    expect(joined.filter((text) => text.includes('小王'))).toHaveLength(2);
    expect(joined.filter((text) => text.includes('小张'))).toHaveLength(2);

    // 小王 (first instance) finishes one: exactly one of the two waiting chats becomes his.
    const mine = (await wang.call('GET', '/api/v1/handoffs?status=accepted')).body.handoffs.filter((handoff: { agentId: string }) => handoff.agentId === 'xiaowang');
    expect((await wang.call('POST', `/api/v1/handoffs/${mine[0].id}/resolve`)).status).toBe(200);
    for (let round = 0; round < 100 && seen.filter((item) => item.status === 'queued').length > 1; round += 1) {
      await sleep(50);
      seen = await owners();
    }
    expect(seen.filter((item) => item.status === 'queued')).toHaveLength(1);
    await sleep(300);
    const settled = await owners();
    expect(settled.filter((item) => item.status === 'queued')).toHaveLength(1);
    expect(settled.every((item) => item.joined.length <= 1)).toBe(true);
  });
});
