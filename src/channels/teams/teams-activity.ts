/**
 * The Bot Framework activity as this adapter reads it (zod, only the fields used), the
 * conversation reference kept to reach the user later, and mention clean-up.
 *
 * @module
 */
import { z } from 'zod';
import type { Lang } from '../../text/lang.js';

const channelAccount = z.object({
  id: z.string().min(1).max(256),
  name: z.string().max(256).optional(),
  aadObjectId: z.string().max(128).optional(),
});

const conversationAccount = z.object({
  id: z.string().min(1).max(1024),
  conversationType: z.string().max(64).optional(),
  tenantId: z.string().max(128).optional(),
  isGroup: z.boolean().optional(),
});

/** An inbound activity, after authentication. */
export const activitySchema = z.object({
  type: z.string().min(1).max(64),
  id: z.string().min(1).max(256).optional(),
  serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
  channelId: z.string().min(1).max(64),
  from: channelAccount,
  recipient: channelAccount,
  conversation: conversationAccount,
  text: z.string().max(100_000).optional(),
  locale: z.string().max(32).optional(),
  entities: z.array(z.unknown()).max(100).optional(),
  attachments: z.array(z.unknown()).max(100).optional(),
  membersAdded: z.array(channelAccount).max(1000).optional(),
});

export type TeamsActivity = z.output<typeof activitySchema>;

/** What is kept per conversation to message the user later (a `ConversationReference`). */
export const referenceSchema = z.object({
  serviceUrl: z.string().min(1),
  channelId: z.string().min(1),
  conversation: conversationAccount,
  bot: channelAccount,
  user: channelAccount,
  activityId: z.string().optional(),
  locale: z.string().optional(),
});

export type TeamsReference = z.output<typeof referenceSchema>;

/** The reference of the conversation an activity came from. */
export function referenceOf(activity: TeamsActivity): TeamsReference {
  return {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    conversation: activity.conversation,
    bot: activity.recipient,
    user: activity.from,
    ...(activity.id !== undefined ? { activityId: activity.id } : {}),
    ...(activity.locale !== undefined ? { locale: activity.locale } : {}),
  };
}

const mentionSchema = z.object({
  type: z.literal('mention'),
  text: z.string().optional(),
  mentioned: z.object({ id: z.string() }).optional(),
});

/**
 * The customer's words: the bot's own `<at>Bot</at>` mention removed (channels and group
 * chats put it first), other mentions reduced to the name, whitespace trimmed.
 */
export function customerText(activity: TeamsActivity): string {
  let text = activity.text ?? '';
  for (const entity of activity.entities ?? []) {
    const mention = mentionSchema.safeParse(entity);
    if (mention.success && mention.data.mentioned?.id === activity.recipient.id && mention.data.text) {
      text = text.replaceAll(mention.data.text, ' ');
    }
  }
  return text.replace(/<at>([^<]*)<\/at>/g, '$1').replace(/\s+/g, ' ').trim();
}

/** The language of a Bot Framework locale such as zh-CN or en-US, if it is one we speak. */
export function langOfLocale(locale: string | undefined): Lang | undefined {
  const lower = locale?.toLowerCase() ?? '';
  if (lower.startsWith('zh')) return 'zh';
  if (lower.startsWith('en')) return 'en';
  return undefined;
}
