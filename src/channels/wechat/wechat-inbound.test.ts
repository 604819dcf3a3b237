import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { useMemoryStore } from '../../../test/support/memory-store.js';
import type { TurnResult } from '../../conversation/conversation-engine.js';
import { silentLogger } from '../../logger.js';
import type { KyselyConversationStore } from '../../store/kysely-conversation-store.js';
import type { Conversation } from '../../store/records.js';
import { aConversation, aMessage } from '../../store/store-fixtures.js';
import type { ChannelMessage } from '../channel.js';
import type { WechatAccount } from './wechat-account.js';
import { WechatInboundHandler } from './wechat-inbound.js';
import type { WechatInbound } from './wechat-xml.js';

const account: WechatAccount = { channel: 'wechat', token: 't', receiveId: 'wx-app', secret: 's', apiBaseUrl: 'http://127.0.0.1:9' };
let store: KyselyConversationStore;

useMemoryStore((opened) => (store = opened));

/** A handler whose turns answer `answer` after `delayMs`, recording what it was asked and sent. */
function handler(options: { delayMs: number; budgetMs: number; answer?: string }) {
  const received: ChannelMessage[] = [];
  const sent: Array<[string, string]> = [];
  const conversation = aConversation({ channel: 'wechat' });
  const inbound = new WechatInboundHandler(account, {
    store,
    customers: {
      find: () => Promise.resolve(undefined),
      async receive(message) {
        received.push(message);
        await sleep(options.delayMs);
        await store.createConversation({ ...conversation, id: `c-${received.length}-${Math.random()}` });
        const [customer, bot] = [aMessage(conversation.id, { text: message.text }), aMessage(conversation.id, { role: 'bot', text: options.answer ?? '答复' })];
        const messages = [{ ...customer, id: `m-${Math.random()}`, seq: 1 }, { ...bot, id: `m-${Math.random()}`, seq: 2 }];
        return { conversation, reply: null, handoff: null, messages } as TurnResult;
      },
    },
    sendText: async (toUser, text) => {
      sent.push([toUser, text]);
    },
    greeting: (lang) => (lang === 'zh' ? '欢迎' : 'Welcome'),
    clock: () => new Date(),
    logger: silentLogger(),
    passiveBudgetMs: options.budgetMs,
    maxMessageChars: 10,
  });
  return { inbound, received, sent };
}

const text = (content: string, msgId = String(Math.floor(Math.random() * 1e15))): WechatInbound => ({ ToUserName: 'gh', FromUserName: 'o-1', CreateTime: '1', MsgType: 'text', Content: content, MsgId: msgId });

describe('WechatInboundHandler', () => {
  it('answers passively when the turn ends within the budget', async () => {
    const { inbound, sent } = handler({ delayMs: 5, budgetMs: 500, answer: '七天无理由' });
    expect(await inbound.handle(text('能退吗'))).toEqual({ kind: 'text', text: '七天无理由' });
    expect(sent).toEqual([]);
  });

  it('acknowledges at once when the turn is slower, then sends the answer through the API', async () => {
    const { inbound, sent } = handler({ delayMs: 200, budgetMs: 20, answer: '稍后的答复' });
    const started = Date.now();
    expect(await inbound.handle(text('能退吗'))).toEqual({ kind: 'ack' });
    expect(Date.now() - started).toBeLessThan(150);
    await inbound.drain();
    expect(sent).toEqual([['o-1', '稍后的答复']]);
  });

  it('sends what does not fit in the passive reply through the API', async () => {
    const long = `${'退'.repeat(600)}\n${'货'.repeat(600)}`;
    const { inbound, sent } = handler({ delayMs: 0, budgetMs: 500, answer: long });
    expect(await inbound.handle(text('能退吗'))).toEqual({ kind: 'text', text: '退'.repeat(600) });
    await inbound.drain();
    expect(sent).toEqual([['o-1', '货'.repeat(600)]]);
  });

  it('answers a MsgId once, and an event once per sender and CreateTime', async () => {
    const { inbound, received } = handler({ delayMs: 0, budgetMs: 500 });
    const message = text('你好', '42');
    expect((await inbound.handle(message)).kind).toBe('text');
    expect(await inbound.handle(message)).toEqual({ kind: 'ack' });
    expect(received).toHaveLength(1);
    const subscribe: WechatInbound = { ToUserName: 'gh', FromUserName: 'o-2', CreateTime: '99', MsgType: 'event', Event: 'subscribe' };
    expect(await inbound.handle(subscribe)).toEqual({ kind: 'text', text: '欢迎' });
    expect(await inbound.handle(subscribe)).toEqual({ kind: 'ack' });
    expect(await inbound.handle({ ...subscribe, CreateTime: '100', Event: 'CLICK' })).toEqual({ kind: 'ack' });
  });

  it('reads recognised voice as text, cuts long texts, and ignores blank ones', async () => {
    const { inbound, received } = handler({ delayMs: 0, budgetMs: 500 });
    await inbound.handle({ ...text(''), MsgType: 'voice', Content: undefined, Recognition: '我要退货' } as WechatInbound);
    await inbound.handle(text('一二三四五六七八九十十一十二'));
    expect(await inbound.handle(text('   '))).toEqual({ kind: 'ack' });
    expect(received.map((message) => message.text)).toEqual(['我要退货', '一二三四五六七八九十']);
    expect(received[0]).toMatchObject({ channel: 'wechat', customer: { id: 'o-1' }, address: { receiveId: 'wx-app', openid: 'o-1', account: 'gh' } });
  });

  it('answers other message types with the text-only reply', async () => {
    const { inbound, received } = handler({ delayMs: 0, budgetMs: 500 });
    const reply = await inbound.handle({ ...text(''), MsgType: 'image', Content: undefined } as WechatInbound);
    expect(reply).toMatchObject({ kind: 'text', text: expect.stringContaining('仅支持文字') });
    expect(received).toEqual([]);
  });
});

/**
 * A handler whose turns store the customer's message the way the engine does (first, honouring
 * `customerMessage` and `onCustomerMessage`), then fail as `failures` says, one per turn.
 */
function failingHandler(failures: Array<'before-store' | 'after-store' | 'after-reply' | undefined>) {
  const turns: Array<{ reused: boolean }> = [];
  let conversation: Conversation | undefined;
  const inbound = new WechatInboundHandler(account, {
    store,
    customers: {
      find: () => Promise.resolve(conversation),
      async receive(message, options = {}) {
        if (conversation === undefined) {
          conversation = aConversation({ channel: 'wechat', customer: { id: message.customer.id, tags: [] } });
          await store.createConversation(conversation);
        }
        turns.push({ reused: options.customerMessage !== undefined });
        const failure = failures.shift();
        if (failure === 'before-store') throw new Error('database unavailable');
        const customer = options.customerMessage ?? (await store.appendMessage(aMessage(conversation.id, { text: message.text, channel: 'wechat' })));
        options.onCustomerMessage?.(customer);
        if (failure === 'after-store') throw new Error('vector store unavailable');
        const bot = await store.appendMessage(aMessage(conversation.id, { role: 'bot', text: '七天无理由', channel: 'wechat' }));
        if (failure === 'after-reply') throw new Error('handoff desk unavailable');
        return { conversation, reply: null, handoff: null, messages: [customer, bot] } as TurnResult;
      },
    },
    sendText: () => Promise.resolve(),
    greeting: () => '欢迎',
    clock: () => new Date(),
    logger: silentLogger(),
    passiveBudgetMs: 500,
    maxMessageChars: 100,
  });
  const transcript = async () => (conversation === undefined ? [] : (await store.listMessages(conversation.id)).map((stored) => [stored.role, stored.text]));
  return { inbound, turns, transcript };
}

describe('WechatInboundHandler when a turn fails', () => {
  it('handles WeChat\'s retry of a message whose turn failed before storing it', async () => {
    const { inbound, turns, transcript } = failingHandler(['before-store']);
    const message = text('能退吗', '4711');
    await expect(inbound.handle(message)).rejects.toThrow('database unavailable');
    expect(await inbound.handle(message)).toEqual({ kind: 'text', text: '七天无理由' });
    expect(await inbound.handle(message)).toEqual({ kind: 'ack' });
    expect(turns).toEqual([{ reused: false }, { reused: false }]);
    expect(await transcript()).toEqual([['customer', '能退吗'], ['bot', '七天无理由']]);
  });

  it('answers the stored message on a retry after the turn failed later, without storing it twice', async () => {
    const { inbound, turns, transcript } = failingHandler(['after-store', 'after-store']);
    const message = text('能退吗', '4712');
    await expect(inbound.handle(message)).rejects.toThrow('vector store unavailable');
    await expect(inbound.handle(message)).rejects.toThrow('vector store unavailable');
    expect(await inbound.handle(message)).toEqual({ kind: 'text', text: '七天无理由' });
    expect(await inbound.handle(message)).toEqual({ kind: 'ack' });
    expect(turns).toEqual([{ reused: false }, { reused: true }, { reused: true }]);
    expect(await transcript()).toEqual([['customer', '能退吗'], ['bot', '七天无理由']]);

    // The same words in a new push (another MsgId) are a new message, stored and answered again.
    expect(await inbound.handle(text('能退吗', '4713'))).toEqual({ kind: 'text', text: '七天无理由' });
    expect(turns.at(-1)).toEqual({ reused: false });
    expect((await transcript()).filter(([role]) => role === 'customer')).toHaveLength(2);
  });

  it('only acknowledges the retry when the failed turn had already stored its reply', async () => {
    const { inbound, turns, transcript } = failingHandler(['after-reply']);
    const message = text('能退吗', '4714');
    await expect(inbound.handle(message)).rejects.toThrow('handoff desk unavailable');
    // The stored reply goes out through the outbound dispatcher; a second turn would repeat it.
    expect(await inbound.handle(message)).toEqual({ kind: 'ack' });
    expect(turns).toHaveLength(1);
    expect(await transcript()).toEqual([['customer', '能退吗'], ['bot', '七天无理由']]);
  });
});
