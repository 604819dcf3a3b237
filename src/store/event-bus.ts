import type { Handoff, StoredMessage } from './records.js';

/** Live updates that browsers and channels react to; they cross instances in production. */
export type StoreEvent =
  | { type: 'message-created'; conversationId: string; message: StoredMessage }
  | { type: 'conversation-updated'; conversationId: string; status: string }
  | { type: 'handoff-updated'; handoff: Handoff }
  /** Someone is typing (or stopped) in a conversation; nothing is stored. */
  | { type: 'typing'; conversationId: string; role: 'customer' | 'agent'; active: boolean; agentId?: string; name?: string }
  /** An agent opened a handed-off conversation in the console (collision warning); nothing is stored. */
  | { type: 'viewing'; conversationId: string; handoffId: string; agentId: string; name: string };

export type StoreEventListener = (event: StoreEvent) => void;

/** Publishes store events to every listener in every instance, in order per publisher. */
export interface EventBus {
  publish(event: StoreEvent): Promise<void>;
  /** Returns a function that removes the listener. */
  subscribe(listener: StoreEventListener): () => void;
  close(): Promise<void>;
}
