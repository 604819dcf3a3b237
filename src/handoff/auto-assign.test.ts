import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { AgentStatus } from '../store/console-records.js';
import type { KyselyConversationStore } from '../store/kysely-conversation-store.js';
import { MemoryEventBus } from '../store/memory-event-bus.js';
import { MessageLog } from '../store/message-log.js';
import type { Handoff } from '../store/records.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { aConversation, aMessage } from '../store/store-fixtures.js';
import type { StoreEvent } from '../store/event-bus.js';
import { createHandoffModule } from './handoff-module.js';

const HASH = 'scrypt$16384$8$1$AAAA$AAAA';
const GROUPS = `
default: first
groups:
  - id: first
    name: { zh: 一线, en: First line }
    max_chats_per_agent: 2
  - id: second
    name: { zh: 二线, en: Second line }
agents:
  - { username: ann, name: 安安, groups: [first], password_hash: "${HASH}" }
  - { username: bob, name: Bob, groups: [first, second], password_hash: "${HASH}" }
`;

let dir: string;
let store: KyselyConversationStore;
let events: MemoryEventBus;
let published: StoreEvent[];
let now: Date;

function module(autoAssign = true) {
  return createHandoffModule({
    store, events, messages: new MessageLog(store, events), logger: silentLogger(), clock: () => now, newId: randomUUID, knowledgeDir: dir,
    render: (key, _lang, values) => `${key}${values ? JSON.stringify(values) : ''}`,
    settings: {
      triggerEmotions: [], triggerIntents: [], triggerTags: [], ticketWhenNobodyOnline: false, autoAssign, sessionTtlMs: 3_600_000,
      sweepIntervalMs: 0, webhook: { maxAttempts: 1, retryBaseMs: 10, timeoutMs: 100 },
    },
  });
}

/** A signed-in console for `agentId`, seen now; returns the session id. */
async function online(agentId: string, status: AgentStatus = 'online'): Promise<string> {
  const id = randomUUID();
  await store.createAgentSession({ id, agentId, status, createdAt: now.toISOString(), lastSeenAt: now.toISOString(), expiresAt: new Date(now.getTime() + 3_600_000).toISOString() });
  return id;
}

/** Queues a new conversation in `skillGroup` a second after the previous one. */
async function queued(handoff: ReturnType<typeof module>, skillGroup = 'first', priority = 0): Promise<Handoff> {
  now = new Date(now.getTime() + 1000);
  const conversation = aConversation();
  await store.createConversation(conversation);
  await store.appendMessage(aMessage(conversation.id));
  const transcript = await store.listMessages(conversation.id);
  return (await handoff.handoffs.request({ conversation, reason: 'asked', skillGroup, failedTurns: 0, priority, context: { citations: [] } }, transcript)).handoff;
}

const state = async (handoff: Handoff) => {
  const current = await store.getHandoff(handoff.id);
  return current?.status === 'accepted' ? current.agentId : current?.status;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kefu-assign-'));
  writeFileSync(path.join(dir, 'skill-groups.yaml'), GROUPS);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  store = openSqliteStore(':memory:').store;
  await store.migrate();
  events = new MemoryEventBus();
  published = [];
  events.subscribe((event) => published.push(event));
  now = new Date('2026-11-23T02:00:00Z');
});
afterEach(async () => {
  await store.close();
});

describe('automatic assignment', () => {
  it('serves the most urgent, then the longest waiting, up to the agent capacity', async () => {
    const handoff = module();
    const old = await queued(handoff);
    const urgent = await queued(handoff, 'first', 10);
    const recent = await queued(handoff);
    await online('ann');
    await handoff.assigner.kick();
    expect([await state(urgent), await state(old), await state(recent)]).toEqual(['ann', 'ann', 'waiting']);
    await online('bob');
    await handoff.assigner.kick();
    expect(await state(recent)).toBe('bob');
  });

  it('picks the least busy available agent, the file order breaking ties', async () => {
    const handoff = module();
    await Promise.all([online('ann'), online('bob')]);
    const first = await queued(handoff);
    await handoff.assigner.kick();
    expect(await state(first)).toBe('ann'); // 0 and 0: ann is listed first
    const second = await queued(handoff);
    await handoff.assigner.kick();
    expect(await state(second)).toBe('bob'); // ann 1, bob 0
    const third = await queued(handoff);
    const fourth = await queued(handoff);
    await handoff.assigner.kick();
    expect([await state(third), await state(fourth)]).toEqual(['ann', 'bob']);
    // Both at their limit of 2 (bob's smallest group limit): the next one waits.
    expect(await state(await queued(handoff))).toBe('waiting');
    await handoff.assigner.kick();
    expect((await store.listHandoffs({ status: 'waiting' })).length).toBe(1);
  });

  it('tells the customer who joined and pushes the chat to the agent, audited as the system', async () => {
    const handoff = module();
    await online('ann');
    const waiting = await queued(handoff);
    published.length = 0;
    const assigned = (await handoff.assigner.kick()).get(waiting.id);
    expect(assigned?.handoff).toMatchObject({ id: waiting.id, status: 'accepted', agentId: 'ann' });
    expect(assigned?.message).toMatchObject({ role: 'system', intent: 'agent_joined', text: 'agent_joined{"agent":"安安"}' });
    expect((await store.listMessages(waiting.conversationId)).at(-1)?.text).toBe('agent_joined{"agent":"安安"}');
    expect((await store.getConversation(waiting.conversationId))?.status).toBe('agent');
    expect(published).toContainEqual({ type: 'handoff-updated', handoff: expect.objectContaining({ id: waiting.id, status: 'accepted', agentId: 'ann' }) });
    expect(published).toContainEqual({ type: 'conversation-updated', conversationId: waiting.conversationId, status: 'agent' });
    const [action] = await store.listAgentActions({ handoffId: waiting.id, limit: 10 });
    expect(action).toMatchObject({ agentId: 'system', action: 'assign', detail: { agentId: 'ann' } });
  });

  it('leaves busy agents alone, and assigns once they are online again or a chat ends', async () => {
    const handoff = module();
    const session = await online('ann', 'busy');
    const waiting = await queued(handoff);
    await handoff.assigner.kick();
    expect(await state(waiting)).toBe('waiting');
    // 在线 again: the status change itself starts a pass.
    await handoff.sessions.touch(session, 'online');
    await handoff.assigner.idle();
    expect(await state(waiting)).toBe('ann');
    const [second, third] = [await queued(handoff), await queued(handoff)];
    await handoff.assigner.kick();
    expect([await state(second), await state(third)]).toEqual(['ann', 'waiting']);
    // Resolving frees a place: the service starts a pass by itself.
    await handoff.handoffs.resolve(waiting.id, { id: 'ann', name: '安安' });
    await handoff.assigner.idle();
    expect(await state(third)).toBe('ann');
    // So does a transfer into a group with a free agent.
    await online('bob');
    const elsewhere = await queued(handoff, 'second');
    await handoff.assigner.idle();
    expect(await state(elsewhere)).toBe('waiting'); // queued directly: the desk would assign it
    await handoff.handoffs.transfer(third.id, { id: 'ann', name: '安安' }, 'second', '二线处理');
    await handoff.assigner.idle();
    expect(await state(third)).toBe('bob');
  });

  it('does not assign to agents whose console has not been seen lately', async () => {
    const handoff = module();
    await online('ann');
    now = new Date(now.getTime() + 10 * 60_000);
    const waiting = await queued(handoff);
    await handoff.assigner.kick();
    expect(await state(waiting)).toBe('waiting');
  });

  it('gives each chat to one agent once when two instances assign at the same time', async () => {
    const [one, two] = [module(), module()];
    const chats = [];
    for (let index = 0; index < 5; index += 1) chats.push(await queued(one));
    await Promise.all([online('ann'), online('bob')]);
    await Promise.all([one.assigner.kick(), two.assigner.kick(), one.assigner.kick(), two.assigner.kick()]);
    const owners = await Promise.all(chats.map(state));
    expect(owners.filter((owner) => owner === 'ann')).toHaveLength(2);
    expect(owners.filter((owner) => owner === 'bob')).toHaveLength(2);
    expect(owners.filter((owner) => owner === 'waiting')).toHaveLength(1);
    for (const chat of chats) {
      const joined = (await store.listMessages(chat.conversationId)).filter((message) => message.intent === 'agent_joined');
      expect(joined).toHaveLength((await state(chat)) === 'waiting' ? 0 : 1);
    }
  });

  it('keeps a chat being handed off for the desk, so the queue notice comes first', async () => {
    const handoff = module();
    await online('ann');
    const conversation = aConversation();
    await store.createConversation(conversation);
    handoff.assigner.hold(conversation.id);
    const { handoff: waiting } = await handoff.handoffs.request({ conversation, reason: 'asked', skillGroup: 'first', failedTurns: 0, context: { citations: [] } }, []);
    await handoff.assigner.kick();
    expect(await state(waiting)).toBe('waiting');
    expect(await handoff.desk.assignQueued(waiting)).toMatchObject({ handoff: { status: 'accepted', agentId: 'ann' }, message: { intent: 'agent_joined' } });
  });

  it('leaves manual accepts to agents when switched off', async () => {
    const handoff = module(false);
    await online('ann');
    const waiting = await queued(handoff);
    expect((await handoff.assigner.kick()).size).toBe(0);
    expect(await handoff.desk.assignQueued(waiting)).toBeUndefined();
    expect(await state(waiting)).toBe('waiting');
    await expect(handoff.handoffs.accept(waiting.id, { id: 'ann', name: '安安' })).resolves.toMatchObject({ status: 'accepted', agentId: 'ann' });
  });
});
