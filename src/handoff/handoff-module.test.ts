import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { KyselyConversationStore } from '../store/kysely-conversation-store.js';
import { MemoryEventBus } from '../store/memory-event-bus.js';
import { MessageLog } from '../store/message-log.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { aConversation, aMessage } from '../store/store-fixtures.js';
import { createHandoffModule } from './handoff-module.js';

const GROUPS = `
default: first
groups:
  - id: first
    name: { zh: 一线, en: First line }
    overflow: { after_seconds: 60, group: second }
  - id: second
    name: { zh: 二线, en: Second line }
    hours: { time_zone: Asia/Shanghai, days: { mon: ["09:00-18:00"] } }
agents:
  - { username: ann, name: Ann, groups: [first], password_hash: "scrypt$16384$8$1$AAAA$AAAA" }
`;

let store: KyselyConversationStore;
let dir: string;
let now = new Date('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
const events = new MemoryEventBus();

function module() {
  return createHandoffModule({
    store, events, messages: new MessageLog(store, events), logger: silentLogger(), clock: () => now, newId: randomUUID, knowledgeDir: dir,
    render: (key, _lang, values) => `${key}${values ? JSON.stringify(values) : ''}`,
    settings: {
      triggerEmotions: ['angry', 'nonsense'], triggerIntents: [], triggerTags: [], ticketWhenNobodyOnline: false, sessionTtlMs: 3_600_000,
      sweepIntervalMs: 0, webhook: { maxAttempts: 1, retryBaseMs: 10, timeoutMs: 100 },
    },
  });
}

async function queued(handoff: ReturnType<typeof module>) {
  const conversation = aConversation();
  await store.createConversation(conversation);
  await store.appendMessage(aMessage(conversation.id));
  return handoff.handoffs.request({ conversation, reason: 'asked', skillGroup: 'first', failedTurns: 0, context: { citations: [] } }, await store.listMessages(conversation.id));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kefu-handoff-'));
  writeFileSync(path.join(dir, 'skill-groups.yaml'), GROUPS);
  store = openSqliteStore(':memory:').store;
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the handoff module', () => {
  it('ignores unknown trigger emotions from config', () => {
    expect(module().triggers.emotions).toEqual(['angry']);
  });

  it('overflows a long wait to the fallback group once, keeping its place by original wait', async () => {
    const handoff = module();
    const { handoff: waiting } = await queued(handoff);
    await handoff.sweepOverflow();
    expect((await store.getHandoff(waiting.id))?.skillGroup).toBe('first');
    now = new Date(now.getTime() + 61_000);
    await Promise.all([handoff.sweepOverflow(), module().sweepOverflow()]); // two instances
    expect(await store.getHandoff(waiting.id)).toMatchObject({ skillGroup: 'second', status: 'waiting', createdAt: waiting.createdAt });
    expect((await store.listAgentActions({ handoffId: waiting.id, limit: 10 })).filter((action) => action.action === 'transfer')).toHaveLength(1);
  });

  it('transfers and returns with the customer told in their words, and notes kept internal', async () => {
    const handoff = module();
    const { handoff: waiting } = await queued(handoff);
    const ann = { id: 'ann', name: 'Ann' };
    await handoff.handoffs.accept(waiting.id, ann);
    await handoff.handoffs.note(waiting.id, ann, '内部：VIP 老客户');
    now = new Date(now.getTime() + 1000);
    await handoff.handoffs.transfer(waiting.id, ann, 'second', '需要二线处理');
    const texts = (await store.listMessages(waiting.conversationId)).map((message) => message.text);
    expect(texts).toContain('transferred{"group":"二线"}');
    expect(texts.join()).not.toContain('VIP 老客户');
    expect((await handoff.audit.notes(waiting.id)).map((note) => note.text)).toEqual(['内部：VIP 老客户', '需要二线处理']);
    await expect(handoff.handoffs.accept(waiting.id, ann)).resolves.toMatchObject({ status: 'accepted', skillGroup: 'second' });
    await handoff.handoffs.returnToBot(waiting.id, ann);
    expect((await store.getConversation(waiting.conversationId))?.status).toBe('bot');
    expect((await store.listMessages(waiting.conversationId)).at(-1)?.text).toBe('returned_to_bot');
  });

  it('says a group is closed outside its hours, and promises the next opening', async () => {
    const handoff = module();
    now = new Date('2026-11-23T12:00:00Z'); // Monday 20:00 in Shanghai
    expect(await handoff.insights.canTakeChat('second')).toEqual({ open: false, staffed: false });
    const conversation = aConversation();
    await store.createConversation(conversation);
    const { ticket, opensAt } = await handoff.tickets.open(conversation, { skillGroup: 'second', reason: 'asked', summary: 's' });
    expect(ticket.number).toMatch(/^T20261123-\d{4}$/);
    expect(opensAt?.toISOString()).toBe('2026-11-30T01:00:00.000Z'); // next Monday 09:00
    expect(ticket.promisedBy).toBe('2026-12-01T01:00:00.000Z');
  });
});
