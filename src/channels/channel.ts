/**
 * The outbound port every channel implements, and the one inbound message type every channel
 * hands to the engine. Agent replies and system notices travel back through `deliver`.
 *
 * @example
 * await channels.wechat?.deliver(conversation, agentMessage);
 *
 * @module
 */
import type { ChannelName, Conversation, StoredMessage } from '../store/records.js';
import type { Lang } from '../text/lang.js';

/** A channel adapter's outbound side (WeChat customer-service API, Teams proactive messages). */
export interface Channel {
  /** The channel whose conversations this adapter serves. */
  readonly name: ChannelName;
  /**
   * Sends one stored message to the conversation's customer. Called at most once per message
   * (the dispatcher claims it first); throws `ChannelDeliveryError` when the channel refuses.
   */
  deliver(conversation: Conversation, message: StoredMessage): Promise<void>;
}

/** One customer message, as every channel hands it to the engine. */
export interface ChannelMessage {
  channel: ChannelName;
  /** A customer is a (channel, user id) pair: the OpenID, WeCom UserID or Teams user id. */
  customer: { id: string; name?: string; lang?: Lang };
  text: string;
  /** How to reach the customer later (saved as the conversation's channel ref); owned by the channel. */
  address: Record<string, unknown>;
}

/** Channels by name; a channel that is not configured is absent. */
export type Channels = Partial<Record<ChannelName, Channel>>;
