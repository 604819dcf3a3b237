/**
 * Handling a channel's push exactly once, without losing it when its turn fails. A push is
 * claimed by a unique key in the store (any instance, across restarts); when handling fails
 * before the customer was answered the claim is given back, so the channel's retry (WeChat
 * resends, the Bot Connector retries a 5xx) is handled again. The customer's message is stored
 * before the turn's other steps, so a retry running the turn again would store it twice: the
 * failed attempt notes the message's id (`:stored:<id>`, found through `:retry`) and the retry
 * answers that stored message instead. The notes live in the store, like the claim, because the
 * retry may reach another instance.
 *
 * @example
 * const claim = await InboundClaim.take(deps, key);
 * if (!claim) return ack;                       // a retry of a push already handled
 * try {
 *   if ((await claim.resume(channel, userId, text)) === 'answered') return ack;
 *   const turn = await customers.receive(message, claim.turnOptions());
 *   claim.replied();
 * } catch (error) {
 *   await claim.release();
 *   throw error;
 * }
 *
 * @module
 */
import type { TurnOptions } from '../conversation/conversation-engine.js';
import type { Logger } from '../logger.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { ChannelName, StoredMessage } from '../store/records.js';
import type { CustomerConversations } from './customer-conversations.js';

/** What a claim needs. */
export interface InboundClaimDeps {
  store: ConversationStore;
  customers: Pick<CustomerConversations, 'find'>;
  clock: () => Date;
  logger: Logger;
}

/** One attempt at one push, holding its claim. */
export class InboundClaim {
  #replied = false;
  #retry = false;
  #stored: StoredMessage | undefined;

  private constructor(
    private readonly deps: InboundClaimDeps,
    private readonly key: string,
  ) {}

  /** Claims `key`; undefined when another attempt (here or elsewhere) already holds or finished it. */
  static async take(deps: InboundClaimDeps, key: string): Promise<InboundClaim | undefined> {
    return (await deps.store.claimOnce(key, deps.clock().toISOString())) ? new InboundClaim(deps, key) : undefined;
  }

  /**
   * Before the turn: whether an earlier, failed attempt at this push stored the customer's
   * message. Then the turn answers that message (see `turnOptions`) instead of storing it again;
   * when the failed attempt even stored a reply, the outbound dispatcher delivers it and this one
   * should only acknowledge (`'answered'`). A first attempt costs one delete by key.
   */
  async resume(channel: ChannelName, customerId: string, text: string): Promise<'answered' | undefined> {
    const { store, customers } = this.deps;
    if (!(await store.releaseDedupeKey(retryKey(this.key)))) return undefined;
    this.#retry = true;
    const conversation = await customers.find(channel, customerId);
    if (conversation === undefined) return undefined;
    const messages = await store.listMessages(conversation.id);
    for (const [index, candidate] of [...messages.entries()].reverse()) {
      if (candidate.role !== 'customer' || candidate.text !== text) continue;
      // The note names the stored message's id, so the same text sent again is never mistaken for it.
      if (!(await store.releaseDedupeKey(storedKey(this.key, candidate.id)))) continue;
      this.#stored = candidate;
      const next = messages.slice(index + 1).find((later) => later.role !== 'agent');
      return next !== undefined && next.role !== 'customer' ? 'answered' : undefined;
    }
    return undefined;
  }

  /** The turn options that answer an already stored message and record the one this turn stores. */
  turnOptions(): Pick<TurnOptions, 'customerMessage' | 'onCustomerMessage'> {
    return {
      ...(this.#stored !== undefined ? { customerMessage: this.#stored } : {}),
      onCustomerMessage: (stored) => {
        this.#stored = stored;
      },
    };
  }

  /** The customer has been, or will be, answered: a later failure no longer gives the claim back. */
  replied(): void {
    this.#replied = true;
  }

  /** After a failure before `replied`: gives the claim back for the channel's retry, noting a stored message. */
  async release(): Promise<void> {
    if (this.#replied) return;
    const { store, clock, logger } = this.deps;
    try {
      const at = clock().toISOString();
      if (this.#stored !== undefined) await store.claimOnce(storedKey(this.key, this.#stored.id), at);
      if (this.#stored !== undefined || this.#retry) await store.claimOnce(retryKey(this.key), at);
      await store.releaseDedupeKey(this.key);
    } catch (error) {
      logger.error('could not release a failed push for its retry', { error: (error as Error).message });
    }
  }
}

/** Marks a push whose failed attempt stored the customer's message (or found it stored). */
function retryKey(key: string): string {
  return `${key}:retry`;
}

/** Names the customer's message that a failed attempt at push `key` stored. */
function storedKey(key: string, messageId: string): string {
  return `${key}:stored:${messageId}`;
}
