/**
 * Once-only delivery of stored messages to channels. Whoever claims a message's key first (the
 * inbound handler answering a turn, or the outbound dispatcher in any instance) sends it; every
 * other caller skips it. The key lives in the store, so it holds across restarts and instances.
 *
 * @module
 */
import type { ConversationStore } from '../store/conversation-store.js';
import type { StoredMessage } from '../store/records.js';

/** The `claimOnce` key for delivering message `messageId` to its customer. */
export function deliveryKey(messageId: string): string {
  return `delivery:${messageId}`;
}

/** Claims each message for delivery, in order; returns the ones this caller won. */
export async function claimDeliveries(store: ConversationStore, messages: StoredMessage[], at: string): Promise<StoredMessage[]> {
  const won: StoredMessage[] = [];
  for (const message of messages) {
    if (await store.claimOnce(deliveryKey(message.id), at)) won.push(message);
  }
  return won;
}

/** The bot, agent and system messages of a turn: what the customer should receive. */
export function outgoing(messages: StoredMessage[]): StoredMessage[] {
  return messages.filter((message) => message.role !== 'customer');
}
