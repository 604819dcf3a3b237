import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TurnResult } from '../conversation/conversation-engine.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { KyselyConversationStore } from '../store/kysely-conversation-store.js';
import type { Conversation, StoredMessage } from '../store/records.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { aConversation } from '../store/store-fixtures.js';
import { CustomerConversations } from './customer-conversations.js';
import { deliveryKey } from './delivery-claims.js';

const folder = mkdtempSync(path.join(tmpdir(), 'kefu-customers-'));
const file = path.join(folder, 'kefu.sqlite');
let store: KyselyConversationStore;

beforeAll(async () => {
  ({ store } = openSqliteStore(file));
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The engine's `start` and `handleCustomerMessage`, storing conversations and greetings like the real one. */
function fakeEngine(on: ConversationStore) {
  const started: Conversation[] = [];
  const handled: Array<[string, string]> = [];
  return {
    started,
    handled,
    engine: {
      async start(input: { channel: Conversation['channel']; customer: Conversation['customer'] }) {
        const conversation = aConversation({ channel: input.channel, customer: input.customer });
        await on.createConversation(conversation);
        const greeting: StoredMessage = await on.appendMessage({ conversationId: conversation.id, role: 'bot', text: '您好', channel: input.channel, citations: [], at: conversation.createdAt });
        started.push(conversation);
        return { conversation, messages: [greeting] };
      },
      async handleCustomerMessage(id: string, text: string) {
        handled.push([id, text]);
        return { conversation: (await on.getConversation(id)) as Conversation, reply: null, handoff: null, messages: [] } as TurnResult;
      },
    },
  };
}

const customers = (on: ConversationStore, fake = fakeEngine(on)) => ({ fake, service: new CustomerConversations({ engine: fake.engine, store: on, clock: () => new Date(), creationWaitMs: 2000 }) });

describe('CustomerConversations', () => {
  it('creates one conversation per (channel, user id), with its greeting marked delivered', async () => {
    const { fake, service } = customers(store);
    const first = await service.open('wechat', { id: 'o-first', lang: 'en' });
    expect(first).toMatchObject({ channel: 'wechat', customer: { id: 'o-first', lang: 'en', tags: [] } });
    expect((await service.open('wechat', { id: 'o-first' })).id).toBe(first.id);
    expect((await service.open('teams', { id: 'o-first' })).id).not.toBe(first.id);
    const [greeting] = await store.listMessages(first.id);
    expect(await store.claimOnce(deliveryKey(greeting!.id), new Date().toISOString())).toBe(false);
    expect(fake.started).toHaveLength(2);
  });

  it('reuses a closed conversation (the engine reopens it)', async () => {
    const { service } = customers(store);
    const conversation = await service.open('wecom', { id: 'u-closed' });
    await store.updateConversation(conversation.id, { status: 'closed' }, new Date().toISOString());
    expect((await service.open('wecom', { id: 'u-closed' })).id).toBe(conversation.id);
  });

  it('creates a single conversation when two instances see a new customer at once', async () => {
    const other = openSqliteStore(file).store;
    try {
      const engines = [fakeEngine(store), fakeEngine(other)];
      const services = [customers(store, engines[0]).service, customers(other, engines[1]).service];
      const opened = await Promise.all(Array.from({ length: 8 }, (_, index) => services[index % 2]!.open('teams', { id: '29:racing' })));
      expect(new Set(opened.map((conversation) => conversation.id)).size).toBe(1);
      expect(engines[0]!.started.length + engines[1]!.started.length).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('saves the channel address and runs the turn on the customer conversation', async () => {
    const { fake, service } = customers(store);
    await service.receive({ channel: 'teams', customer: { id: '29:li', name: '李雷' }, text: '你好', address: { serviceUrl: 'https://smba.example/amer/' } });
    await service.receive({ channel: 'teams', customer: { id: '29:li' }, text: '在吗', address: { serviceUrl: 'https://smba.example/emea/' } });
    const conversation = await service.find('teams', '29:li');
    expect(conversation?.customer.name).toBe('李雷');
    expect(fake.handled).toEqual([[conversation!.id, '你好'], [conversation!.id, '在吗']]);
    expect((await store.getChannelRef(conversation!.id))?.address).toEqual({ serviceUrl: 'https://smba.example/emea/' });
  });
});
