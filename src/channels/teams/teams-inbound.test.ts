import { describe, expect, it } from 'vitest';
import { useMemoryStore } from '../../../test/support/memory-store.js';
import type { TurnOptions, TurnResult } from '../../conversation/conversation-engine.js';
import { silentLogger } from '../../logger.js';
import type { KyselyConversationStore } from '../../store/kysely-conversation-store.js';
import { aConversation, aMessage } from '../../store/store-fixtures.js';
import type { ChannelMessage } from '../channel.js';
import type { TeamsActivity } from './teams-activity.js';
import { TeamsInboundHandler } from './teams-inbound.js';

let store: KyselyConversationStore;

useMemoryStore((opened) => (store = opened));

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

/**
 * A handler over a stand-in of the turn that stores the customer's message as the engine does
 * (unless given an already stored one) and fails with `failures[n]` on the n-th call: 'before'
 * storing it, or 'after'.
 */
function handler(failures: Array<'before' | 'after'>) {
  const received: Array<{ message: ChannelMessage; options: TurnOptions }> = [];
  const replies: string[] = [];
  const conversation = aConversation({ channel: 'teams', customer: { id: activity.from.id, tags: [] } });
  let created = false;
  const inbound = new TeamsInboundHandler({
    store,
    customers: {
      find: () => Promise.resolve(created ? conversation : undefined),
      async receive(message: ChannelMessage, options: TurnOptions = {}) {
        received.push({ message, options });
        if (!created) await store.createConversation(conversation);
        created = true;
        const failure = failures[received.length - 1];
        if (failure === 'before') throw new Error('store down');
        const customer = options.customerMessage ?? (await store.appendMessage(aMessage(conversation.id, { text: message.text, channel: 'teams' })));
        options.onCustomerMessage?.(customer);
        if (failure === 'after') throw new Error('model down');
        const bot = await store.appendMessage(aMessage(conversation.id, { role: 'bot', text: '签收后7天内可退货', channel: 'teams' }));
        return { conversation, reply: null, handoff: null, messages: [customer, bot] } as TurnResult;
      },
    },
    connector: { reply: (_reference, _replyTo, text) => Promise.resolve(void replies.push(text)), post: () => Promise.resolve() },
    greeting: () => '您好',
    clock: () => new Date('2026-12-04T10:00:00Z'),
    logger: silentLogger(),
    maxMessageChars: 4000,
  });
  const customerMessages = async () => (await store.listMessages(conversation.id)).filter((message) => message.role === 'customer');
  return { inbound, received, replies, customerMessages };
}

describe('Teams inbound activity claims', () => {
  it('handles the connector retry of an activity whose turn failed before anything was stored', async () => {
    const { inbound, received, replies, customerMessages } = handler(['before']);
    await expect(inbound.handle(activity)).rejects.toThrow('store down');
    await inbound.handle(activity);
    expect(received).toHaveLength(2);
    expect(replies).toEqual(['签收后7天内可退货']);
    expect(await customerMessages()).toHaveLength(1);
    // The retry succeeded and holds the claim again: a third delivery is ignored.
    await inbound.handle(activity);
    expect(received).toHaveLength(2);
  });

  it('answers the retry of a turn that failed after storing the message, without storing it twice', async () => {
    const { inbound, received, replies, customerMessages } = handler(['after']);
    await expect(inbound.handle(activity)).rejects.toThrow('model down');
    const [stored] = await customerMessages();
    await inbound.handle(activity);
    expect(received).toHaveLength(2);
    expect(received[1]?.options.customerMessage?.id).toBe(stored?.id);
    expect(await customerMessages()).toHaveLength(1);
    expect(replies).toEqual(['签收后7天内可退货']);
  });
});
