import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TurnOptions, TurnResult } from '../../conversation/conversation-engine.js';
import { silentLogger } from '../../logger.js';
import type { KyselyConversationStore } from '../../store/kysely-conversation-store.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { aConversation, aMessage } from '../../store/store-fixtures.js';
import type { ChannelMessage } from '../channel.js';
import type { TeamsActivity } from './teams-activity.js';
import { TeamsInboundHandler } from './teams-inbound.js';

let store: KyselyConversationStore;

beforeEach(async () => {
  ({ store } = openSqliteStore(':memory:'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
});

const activity: TeamsActivity = {
  type: 'message',
  id: 'act-1',
  serviceUrl: 'https://smba.example/amer/',
  channelId: 'msteams',
  from: { id: '29:user', name: '张三' },
  recipient: { id: '28:bot', name: 'Kefu' },
  conversation: { id: 'a:conv' },
  text: '怎么退货',
  locale: 'zh-CN',
};

/** A handler whose turns fail with `failures[n]` on the n-th call ('before' or 'after' storing the message), then answer. */
function handler(failures: Array<'before' | 'after'>) {
  const received: ChannelMessage[] = [];
  const replies: string[] = [];
  const conversation = aConversation({ channel: 'teams' });
  const inbound = new TeamsInboundHandler({
    store,
    customers: {
      find: () => Promise.resolve(undefined),
      async receive(message: ChannelMessage, options: TurnOptions = {}) {
        received.push(message);
        await store.createConversation({ ...conversation, id: `c-${received.length}` });
        const customer = { ...aMessage(conversation.id, { text: message.text }), id: `m-${received.length}`, seq: 1 };
        const failure = failures[received.length - 1];
        if (failure === 'before') throw new Error('store down');
        options.onCustomerMessage?.(customer);
        if (failure === 'after') throw new Error('model down');
        const bot = { ...aMessage(conversation.id, { role: 'bot', text: '签收后7天内可退货' }), id: `b-${received.length}`, seq: 2 };
        return { conversation, reply: null, handoff: null, messages: [customer, bot] } as TurnResult;
      },
    },
    connector: { reply: (_reference, _replyTo, text) => Promise.resolve(void replies.push(text)), post: () => Promise.resolve() },
    greeting: () => '您好',
    clock: () => new Date('2026-12-04T10:00:00Z'),
    logger: silentLogger(),
    maxMessageChars: 4000,
  });
  return { inbound, received, replies };
}

describe('Teams inbound activity claims', () => {
  it('handles the connector retry of an activity whose turn failed before anything was stored', async () => {
    const { inbound, received, replies } = handler(['before']);
    await expect(inbound.handle(activity)).rejects.toThrow('store down');
    await inbound.handle(activity);
    expect(received).toHaveLength(2);
    expect(replies).toEqual(['签收后7天内可退货']);
    // The retry succeeded and holds the claim again: a third delivery is ignored.
    await inbound.handle(activity);
    expect(received).toHaveLength(2);
  });

  it('keeps the claim once the customer message was stored, so a retry never stores it twice', async () => {
    const { inbound, received } = handler(['after']);
    await expect(inbound.handle(activity)).rejects.toThrow('model down');
    await inbound.handle(activity);
    expect(received).toHaveLength(1);
  });
});
