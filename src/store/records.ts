import type { Citation } from '../knowledge/kb-entry.js';
import type { Lang } from '../text/lang.js';

/** Who handles a conversation now: the bot, the queue, a person, or nobody (ended). */
export type ConversationStatus = 'bot' | 'queued' | 'agent' | 'closed';
export type ChannelName = 'web' | 'wechat' | 'wecom' | 'teams';
export type MessageRole = 'customer' | 'bot' | 'agent' | 'system';

export interface Customer {
  /** The channel's user id, or a caller-chosen id on the web; may be absent for anonymous visitors. */
  id?: string;
  name?: string;
  lang?: Lang;
  tags: string[];
}

export interface Conversation {
  id: string;
  channel: ChannelName;
  customer: Customer;
  /** Language of the latest customer message; replies use it. */
  lang: Lang;
  status: ConversationStatus;
  /** Consecutive bot turns that did not help; reset by a successful answer. */
  failedTurns: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoredMessage {
  id: string;
  conversationId: string;
  /** Position in the conversation, from 1; clients resume after the last one they saw. */
  seq: number;
  role: MessageRole;
  text: string;
  channel: ChannelName;
  intent?: string;
  confidence?: number;
  citations: Citation[];
  /** Agent who wrote it, for agent messages. */
  agentId?: string;
  /** What the emotion detector read in a customer message (angry, upset, anxious, neutral, positive). */
  emotion?: string;
  at: string;
}

export type NewMessage = Omit<StoredMessage, 'id' | 'seq'>;

export type HandoffStatus = 'waiting' | 'accepted' | 'resolved' | 'cancelled';
export type HandoffReason = 'asked' | 'failed_turns' | 'emotion' | 'intent' | 'vip';

export interface Handoff {
  id: string;
  conversationId: string;
  skillGroup: string;
  reason: HandoffReason;
  /** Higher is served first; ties go to whoever waited longest. */
  priority: number;
  status: HandoffStatus;
  summary: string;
  /** What the bot knew at handoff time: intent, emotion, citations, the triggering message. */
  context: HandoffContext;
  agentId?: string;
  createdAt: string;
  acceptedAt?: string;
  resolvedAt?: string;
  /** Snoozed (稍后处理) by its agent until this time; past times mean awake. */
  snoozedUntil?: string;
  /** Snoozed until the customer writes again. */
  snoozedUntilReply?: boolean;
}

export interface HandoffContext {
  intent?: string;
  confidence?: number;
  emotion?: string;
  triggerMessage?: string;
  /** The customer's name when the channel knows it, for the console's cards. */
  customerName?: string;
  customerTags: string[];
  citations: Citation[];
  failedTurns: number;
  lang: Lang;
  channel: ChannelName;
}

export type NewHandoff = Omit<Handoff, 'status' | 'agentId' | 'acceptedAt' | 'resolvedAt' | 'snoozedUntil' | 'snoozedUntilReply'>;

/** What a channel keeps to reach a conversation's customer later; the channel owns `address`. */
export interface ChannelRef {
  conversationId: string;
  channel: ChannelName;
  /** Channel-specific JSON (WeChat openid and app, Teams conversation reference), checked by the channel when read. */
  address: Record<string, unknown>;
  updatedAt: string;
}
