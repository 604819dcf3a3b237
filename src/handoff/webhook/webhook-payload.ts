/**
 * The JSON a group's webhook receives for a handoff: why, the summary, tags, emotion, the KB
 * entries the bot cited and the whole transcript with each message's channel.
 *
 * @module
 */
import type { Conversation, Handoff, StoredMessage } from '../../store/records.js';

/** Builds the body; `replyPath` is where the helpdesk posts agent replies (with the service token). */
export function webhookPayload(handoff: Handoff, conversation: Conversation | undefined, messages: StoredMessage[]) {
  return {
    event: 'handoff.queued',
    handoff: {
      id: handoff.id,
      skillGroup: handoff.skillGroup,
      reason: handoff.reason,
      priority: handoff.priority,
      createdAt: handoff.createdAt,
      replyPath: `/api/v1/helpdesk/handoffs/${encodeURIComponent(handoff.id)}/messages`,
    },
    reason: handoff.reason,
    summary: handoff.summary,
    intent: handoff.context.intent ?? null,
    emotion: handoff.context.emotion ?? null,
    tags: handoff.context.customerTags,
    citations: handoff.context.citations,
    conversation: conversation && {
      id: conversation.id,
      channel: conversation.channel,
      lang: conversation.lang,
      customer: { ...(conversation.customer.name ? { name: conversation.customer.name } : {}), tags: conversation.customer.tags },
    },
    transcript: messages.map((message) => ({
      seq: message.seq, role: message.role, text: message.text, channel: message.channel, at: message.at,
      ...(message.intent ? { intent: message.intent } : {}),
      ...(message.emotion ? { emotion: message.emotion } : {}),
    })),
  };
}
