import type { ConsoleStore } from './console-store.js';
import type {
  ChannelName,
  ChannelRef,
  Conversation,
  ConversationStatus,
  Handoff,
  HandoffStatus,
  NewHandoff,
  NewMessage,
  StoredMessage,
} from './records.js';

/**
 * The persistence port. Every write that must happen once (accepting a handoff, handling a
 * channel message) is a conditional update or a unique key, so it holds across processes and
 * across instances sharing one PostgreSQL database.
 */
export interface ConversationStore extends ConsoleStore {
  /** Creates or upgrades the schema; safe to call on every start. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;

  createConversation(conversation: Conversation): Promise<void>;
  getConversation(id: string): Promise<Conversation | undefined>;
  /** Applies a partial update and bumps `updatedAt`. */
  updateConversation(
    id: string,
    patch: Partial<Pick<Conversation, 'status' | 'failedTurns' | 'lang' | 'customer'>>,
    at: string,
  ): Promise<void>;

  /** Appends a message with the next `seq` of its conversation (unique per conversation). */
  appendMessage(message: NewMessage): Promise<StoredMessage>;
  /** Messages in `seq` order, optionally only those after `afterSeq`. */
  listMessages(conversationId: string, afterSeq?: number): Promise<StoredMessage[]>;

  createHandoff(handoff: NewHandoff): Promise<Handoff>;
  getHandoff(id: string): Promise<Handoff | undefined>;
  /** The newest handoff of a conversation, if any. */
  latestHandoff(conversationId: string): Promise<Handoff | undefined>;
  /** Handoffs in queue order: priority descending, then oldest first. */
  listHandoffs(filter: { status?: HandoffStatus; skillGroups?: string[] }): Promise<Handoff[]>;
  /** 1-based place of a waiting handoff in its skill group's queue; 0 when not waiting. */
  queuePosition(handoffId: string): Promise<number>;
  /**
   * Moves a handoff from `from` to `to` only if it is still in `from`; returns whether this
   * call made the change (exactly one of several concurrent callers wins).
   */
  transitionHandoff(
    id: string,
    from: HandoffStatus,
    to: HandoffStatus,
    fields: { agentId?: string; at: string },
  ): Promise<boolean>;

  /** Records `key` once; true for the first caller, false for every repeat. */
  claimOnce(key: string, at: string): Promise<boolean>;
  /**
   * Removes the claim on `key`, so the next `claimOnce(key)` wins again; true when there was one
   * to remove. For work that failed before it took effect (a channel message whose turn threw),
   * so the sender's retry is handled instead of being taken for a repeat.
   */
  releaseDedupeKey(key: string): Promise<boolean>;
  /** Deletes the claims made before `before`; returns how many. */
  pruneDedupeKeys(before: string): Promise<number>;

  /**
   * The conversation of a (channel, user id) customer: the newest one that is not closed, else
   * the most recently updated one; undefined when the customer has none.
   */
  findConversationByCustomer(channel: ChannelName, customerId: string): Promise<Conversation | undefined>;
  /** The customer's conversations on `channel`, most recently updated first, at most `limit`. */
  listConversationsByCustomer(channel: ChannelName, customerId: string, limit: number): Promise<Conversation[]>;
  /** Inserts or replaces how the channel reaches this conversation's customer; throws for an unknown conversation. */
  saveChannelRef(ref: ChannelRef): Promise<void>;
  /** The channel address saved for a conversation, if any. */
  getChannelRef(conversationId: string): Promise<ChannelRef | undefined>;
}

export type { ConversationStatus };
