/**
 * Sends what the engine and the agents store for channel conversations (agent replies, "客服
 * 小李 已接入", the resolution and rating ask) back through the customer's own channel.
 *
 * Every instance hears every `message-created` event (LISTEN/NOTIFY in production); each
 * message goes out once because delivery is claimed in the store first (`delivery-claims.ts`).
 * Bot and system messages wait a short grace period before the claim, so the inbound handler
 * that produced them in a customer turn claims them first and answers in its own response
 * (a WeChat passive reply, a Teams reply); the dispatcher sends only what no turn answered.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventBus, StoreEvent } from '../store/event-bus.js';
import type { StoredMessage } from '../store/records.js';
import { KeyedMutex } from '../util/keyed-mutex.js';
import type { Channels } from './channel.js';
import { deliveryKey } from './delivery-claims.js';

/** Dependencies of `OutboundDispatcher`. */
export interface OutboundDispatcherDeps {
  store: ConversationStore;
  events: EventBus;
  channels: Channels;
  logger: Logger;
  clock: () => Date;
  /** Wait before claiming a bot or system message, in ms, so a turn's own handler claims it first. Default 1500. */
  graceMs?: number;
}

/** Subscribes to the event bus and delivers agent and system messages of non-web conversations once. */
export class OutboundDispatcher {
  readonly #deps: OutboundDispatcherDeps;
  // One chain per conversation keeps its messages in order even when a notice waits its grace.
  readonly #order = new KeyedMutex();
  readonly #pending = new Set<Promise<void>>();
  readonly #stopping = new AbortController();
  #unsubscribe: (() => void) | undefined;

  constructor(deps: OutboundDispatcherDeps) {
    this.#deps = deps;
  }

  /** Starts listening; call `stop` to end. */
  start(): void {
    this.#unsubscribe ??= this.#deps.events.subscribe((event) => this.onEvent(event));
  }

  /**
   * Stops listening and waits for deliveries already under way. Messages still in their grace
   * period are left unclaimed, for another instance (or nobody, on the last one).
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await Promise.allSettled([...this.#pending]);
  }

  private onEvent(event: StoreEvent): void {
    if (event.type !== 'message-created' || this.#stopping.signal.aborted) return;
    const { message } = event;
    if (message.role === 'customer' || this.#deps.channels[message.channel] === undefined) return;
    const due = Date.now() + (message.role === 'agent' ? 0 : (this.#deps.graceMs ?? 1500));
    const task = this.#order
      .run(message.conversationId, async () => {
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait, undefined, { signal: this.#stopping.signal });
        await this.deliver(message);
      })
      .catch((error: unknown) => {
        if ((error as Error).name === 'AbortError') return;
        this.#deps.logger.error('channel delivery failed', {
          conversationId: message.conversationId,
          channel: message.channel,
          messageId: message.id,
          error: (error as Error).message,
          code: (error as { code?: unknown }).code,
        });
      });
    this.#pending.add(task);
    void task.finally(() => this.#pending.delete(task));
  }

  private async deliver(event: StoredMessage): Promise<void> {
    const { store, channels, clock, logger } = this.#deps;
    const channel = channels[event.channel];
    if (channel === undefined || this.#stopping.signal.aborted) return;
    if (!(await store.claimOnce(deliveryKey(event.id), clock().toISOString()))) return;
    const conversation = await store.getConversation(event.conversationId);
    // Event texts may be cut to fit a NOTIFY payload; the store has the whole message.
    const [message] = await store.listMessages(event.conversationId, event.seq - 1);
    if (conversation === undefined || message === undefined || message.id !== event.id) return;
    await channel.deliver(conversation, message);
    logger.debug('channel message delivered', { conversationId: conversation.id, channel: channel.name, role: message.role });
  }
}
