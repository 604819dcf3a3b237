/**
 * Identity for channel customers: a customer is a (channel, user id) pair, and each has one
 * conversation that the engine reopens when it was closed. Creating it is decided by a unique
 * key in the store, so two instances receiving a new customer's first messages at once still
 * create one conversation.
 *
 * @example
 * const turn = await customers.receive({ channel: 'wechat', customer: { id: openid }, text, address });
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConversationEngine, TurnOptions, TurnResult } from '../conversation/conversation-engine.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { ChannelName, Conversation } from '../store/records.js';
import type { ChannelMessage } from './channel.js';
import { claimDeliveries } from './delivery-claims.js';

/** Dependencies of `CustomerConversations`. */
export interface CustomerConversationsDeps {
  engine: Pick<ConversationEngine, 'start' | 'handleCustomerMessage'>;
  store: ConversationStore;
  clock: () => Date;
  /** How long to wait for another caller that is creating the same customer's conversation, in ms. Default 3000. */
  creationWaitMs?: number;
}

const POLL_MS = 50;

/** Finds or creates the conversation of a channel customer and runs their messages through the engine. */
export class CustomerConversations {
  readonly #deps: CustomerConversationsDeps;

  constructor(deps: CustomerConversationsDeps) {
    this.#deps = deps;
  }

  /** The customer's open-or-latest conversation, if they have one. */
  find(channel: ChannelName, customerId: string): Promise<Conversation | undefined> {
    return this.#deps.store.findConversationByCustomer(channel, customerId);
  }

  /**
   * The customer's open-or-latest conversation, created when there is none. A new conversation's
   * greeting is stored but marked delivered: the channel already welcomed the customer (or the
   * answer to their first message matters more than a greeting).
   */
  async open(channel: ChannelName, customer: ChannelMessage['customer']): Promise<Conversation> {
    const { store, clock } = this.#deps;
    const existing = await this.find(channel, customer.id);
    if (existing !== undefined) return existing;
    if (await store.claimOnce(`customer-conversation:${channel}:${customer.id}`, clock().toISOString())) {
      return this.create(channel, customer);
    }
    // Someone else is creating it; wait for them, but never forever (they may have crashed).
    const deadline = Date.now() + (this.#deps.creationWaitMs ?? 3000);
    while (Date.now() < deadline) {
      await sleep(POLL_MS);
      const created = await this.find(channel, customer.id);
      if (created !== undefined) return created;
    }
    return this.create(channel, customer);
  }

  /** Opens the customer's conversation, records how to reach them, then runs the turn (with `options`). */
  async receive(message: ChannelMessage, options: TurnOptions = {}): Promise<TurnResult> {
    const conversation = await this.open(message.channel, message.customer);
    await this.#deps.store.saveChannelRef({
      conversationId: conversation.id,
      channel: message.channel,
      address: message.address,
      updatedAt: this.#deps.clock().toISOString(),
    });
    return this.#deps.engine.handleCustomerMessage(conversation.id, message.text, options);
  }

  private async create(channel: ChannelName, customer: ChannelMessage['customer']): Promise<Conversation> {
    const { conversation, messages } = await this.#deps.engine.start({
      channel,
      customer: {
        id: customer.id,
        tags: [],
        ...(customer.name !== undefined ? { name: customer.name } : {}),
        ...(customer.lang !== undefined ? { lang: customer.lang } : {}),
      },
    });
    await claimDeliveries(this.#deps.store, messages, this.#deps.clock().toISOString());
    return conversation;
  }
}
