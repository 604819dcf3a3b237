import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { KyselyConversationStore } from '../store/kysely-conversation-store.js';
import { MemoryEventBus } from '../store/memory-event-bus.js';
import { MessageLog } from '../store/message-log.js';
import type { ChannelName, Conversation, StoredMessage } from '../store/records.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { aConversation, aMessage } from '../store/store-fixtures.js';
import type { Channel } from './channel.js';
import { claimDeliveries } from './delivery-claims.js';
import { OutboundDispatcher } from './outbound-dispatcher.js';

const folder = mkdtempSync(path.join(tmpdir(), 'kefu-dispatch-'));
const file = path.join(folder, 'kefu.sqlite');
let store: KyselyConversationStore;
const running: OutboundDispatcher[] = [];

beforeAll(async () => {
  ({ store } = openSqliteStore(file));
  await store.migrate();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((dispatcher) => dispatcher.stop()));
});
afterAll(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

/** A channel that records what it delivers, optionally failing on one text. */
function recordingChannel(name: ChannelName, failOn?: string) {
  const delivered: Array<{ conversation: Conversation; message: StoredMessage }> = [];
  const channel: Channel = {
    name,
    async deliver(conversation, message) {
      if (message.text === failOn) throw new Error('channel down');
      delivered.push({ conversation, message });
    },
  };
  return { channel, delivered, texts: () => delivered.map((entry) => entry.message.text) };
}

function dispatcher(events: MemoryEventBus, channel: Channel, graceMs: number, onStore = store) {
  const started = new OutboundDispatcher({ store: onStore, events, channels: { [channel.name]: channel }, logger: silentLogger(), clock: () => new Date(), graceMs });
  started.start();
  running.push(started);
  return started;
}

async function conversationOn(channel: ChannelName) {
  const conversation = aConversation({ channel, customer: { id: `user-${Math.random()}`, tags: [] } });
  await store.createConversation(conversation);
  return conversation;
}

const until = async (check: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
};

describe('OutboundDispatcher', () => {
  it('delivers agent messages at once, and system messages after the grace period, in order', async () => {
    const events = new MemoryEventBus();
    const log = new MessageLog(store, events);
    const { channel, texts } = recordingChannel('wechat');
    dispatcher(events, channel, 150);
    const conversation = await conversationOn('wechat');
    const started = Date.now();
    await log.append(aMessage(conversation.id, { role: 'system', text: '客服 小李 已接入', channel: 'wechat' }));
    await log.append(aMessage(conversation.id, { role: 'agent', agentId: 'a1', text: '您好', channel: 'wechat' }));
    await until(() => texts().length === 2);
    expect(texts()).toEqual(['客服 小李 已接入', '您好']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    const agentOnly = await conversationOn('wechat');
    const before = Date.now();
    await log.append(aMessage(agentOnly.id, { role: 'agent', agentId: 'a1', text: '马上处理', channel: 'wechat' }));
    await until(() => texts().includes('马上处理'));
    expect(Date.now() - before).toBeLessThan(140);
  });

  it('skips what a turn already answered, customer and web messages, and channels not configured here', async () => {
    const events = new MemoryEventBus();
    const log = new MessageLog(store, events);
    const { channel, texts } = recordingChannel('teams');
    dispatcher(events, channel, 50);
    const teams = await conversationOn('teams');
    const answered = await log.append(aMessage(teams.id, { role: 'system', text: '正在为您转接', channel: 'teams' }));
    await claimDeliveries(store, [answered], new Date().toISOString());
    await log.append(aMessage(teams.id, { role: 'customer', text: '有人吗', channel: 'teams' }));
    const web = await conversationOn('web');
    await log.append(aMessage(web.id, { role: 'agent', text: 'web agent', channel: 'web' }));
    const wechat = await conversationOn('wechat');
    await log.append(aMessage(wechat.id, { role: 'agent', text: 'wechat agent', channel: 'wechat' }));
    await log.append(aMessage(teams.id, { role: 'agent', text: 'last', channel: 'teams' }));
    await until(() => texts().includes('last'));
    await sleep(100);
    expect(texts()).toEqual(['last']);
  });

  it('delivers each message once when several instances hear the same events', async () => {
    const events = new MemoryEventBus();
    const log = new MessageLog(store, events);
    const { channel, texts } = recordingChannel('wecom');
    const others = [openSqliteStore(file).store, openSqliteStore(file).store];
    try {
      dispatcher(events, channel, 20);
      for (const other of others) dispatcher(events, channel, 20, other);
      const conversation = await conversationOn('wecom');
      for (let index = 0; index < 10; index += 1) {
        await log.append(aMessage(conversation.id, { role: index % 2 === 0 ? 'agent' : 'system', text: `第${index}条`, channel: 'wecom' }));
      }
      await until(() => texts().length >= 10);
      await sleep(100);
      expect(texts().sort()).toEqual(Array.from({ length: 10 }, (_, index) => `第${index}条`).sort());
    } finally {
      await Promise.all(running.splice(0).map((started) => started.stop()));
      await Promise.all(others.map((other) => other.close()));
    }
  });

  it('sends the whole text when the event carried a shortened one, and survives a failing delivery', async () => {
    const events = new MemoryEventBus();
    const log = new MessageLog(store, events);
    const { channel, texts } = recordingChannel('wechat', 'boom');
    dispatcher(events, channel, 0);
    const conversation = await conversationOn('wechat');
    await log.append(aMessage(conversation.id, { role: 'agent', text: 'boom', channel: 'wechat' }));
    const long = '长'.repeat(5000);
    const stored = await store.appendMessage(aMessage(conversation.id, { role: 'agent', text: long, channel: 'wechat' }));
    await events.publish({ type: 'message-created', conversationId: conversation.id, message: { ...stored, text: long.slice(0, 2000) } });
    await until(() => texts().length === 1);
    expect(texts()[0]).toHaveLength(5000);
  });

  it('leaves messages still in their grace period to other instances when it stops', async () => {
    const events = new MemoryEventBus();
    const log = new MessageLog(store, events);
    const { channel, texts } = recordingChannel('wechat');
    const stopping = dispatcher(events, channel, 10_000);
    const conversation = await conversationOn('wechat');
    const notice = await log.append(aMessage(conversation.id, { role: 'system', text: '会话已结束', channel: 'wechat' }));
    const started = Date.now();
    await stopping.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(texts()).toEqual([]);
    expect(await claimDeliveries(store, [notice], new Date().toISOString())).toEqual([notice]);
  });
});
