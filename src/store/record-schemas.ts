/**
 * Zod schemas for the store's records. They check what comes back from the database (JSON
 * columns, enum-like text columns) and what arrives from other instances over the event bus,
 * so a bad row or payload fails with a clear message instead of spreading wrong types.
 *
 * Each schema is annotated with its record type, so a record change that the schema does not
 * follow fails to compile.
 *
 * @module
 */
import { z } from 'zod';
import type { Citation } from '../knowledge/kb-entry.js';
import { LANGS, type Lang } from '../text/lang.js';
import type { StoreEvent } from './event-bus.js';
import type {
  ChannelName,
  Conversation,
  ConversationStatus,
  Customer,
  Handoff,
  HandoffContext,
  HandoffReason,
  HandoffStatus,
  MessageRole,
  StoredMessage,
} from './records.js';

const langSchema: z.ZodType<Lang> = z.enum(LANGS);
const channelSchema: z.ZodType<ChannelName> = z.enum(['web', 'wechat', 'wecom', 'teams']);
const conversationStatusSchema: z.ZodType<ConversationStatus> = z.enum(['bot', 'queued', 'agent', 'closed']);
const roleSchema: z.ZodType<MessageRole> = z.enum(['customer', 'bot', 'agent', 'system']);
const handoffStatusSchema: z.ZodType<HandoffStatus> = z.enum(['waiting', 'accepted', 'resolved', 'cancelled']);
const handoffReasonSchema: z.ZodType<HandoffReason> = z.enum(['asked', 'failed_turns', 'emotion', 'intent', 'vip']);

/** `Customer`, as stored in `conversations.customer`. */
export const customerSchema: z.ZodType<Customer> = z.object({
  id: z.string().exactOptional(),
  name: z.string().exactOptional(),
  lang: langSchema.exactOptional(),
  tags: z.array(z.string()),
});

/** `Citation`, as stored in `messages.citations` and in handoff context. */
export const citationSchema: z.ZodType<Citation> = z.object({
  entryId: z.string(),
  title: z.string(),
  category: z.array(z.string()),
  kbVersion: z.number(),
});

/** `HandoffContext`, as stored in `handoffs.context`. */
export const handoffContextSchema: z.ZodType<HandoffContext> = z.object({
  intent: z.string().exactOptional(),
  confidence: z.number().exactOptional(),
  emotion: z.string().exactOptional(),
  triggerMessage: z.string().exactOptional(),
  customerName: z.string().exactOptional(),
  customerTags: z.array(z.string()),
  citations: z.array(citationSchema),
  failedTurns: z.number(),
  lang: langSchema,
  channel: channelSchema,
});

/** A whole `Conversation`. */
export const conversationSchema: z.ZodType<Conversation> = z.object({
  id: z.string(),
  channel: channelSchema,
  customer: customerSchema,
  lang: langSchema,
  status: conversationStatusSchema,
  failedTurns: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** A whole `StoredMessage`. */
export const storedMessageSchema: z.ZodType<StoredMessage> = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int().positive(),
  role: roleSchema,
  text: z.string(),
  channel: channelSchema,
  intent: z.string().exactOptional(),
  confidence: z.number().exactOptional(),
  citations: z.array(citationSchema),
  agentId: z.string().exactOptional(),
  emotion: z.string().exactOptional(),
  at: z.string(),
});

/** A whole `Handoff`. */
export const handoffSchema: z.ZodType<Handoff> = z.object({
  id: z.string(),
  conversationId: z.string(),
  skillGroup: z.string(),
  reason: handoffReasonSchema,
  priority: z.number().int(),
  status: handoffStatusSchema,
  summary: z.string(),
  context: handoffContextSchema,
  agentId: z.string().exactOptional(),
  createdAt: z.string(),
  acceptedAt: z.string().exactOptional(),
  resolvedAt: z.string().exactOptional(),
  snoozedUntil: z.string().exactOptional(),
  snoozedUntilReply: z.literal(true).exactOptional(),
});

/** A `StoreEvent` received from another instance. */
export const storeEventSchema: z.ZodType<StoreEvent> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message-created'), conversationId: z.string(), message: storedMessageSchema }),
  z.object({ type: z.literal('conversation-updated'), conversationId: z.string(), status: z.string() }),
  z.object({ type: z.literal('handoff-updated'), handoff: handoffSchema }),
  z.object({
    type: z.literal('typing'), conversationId: z.string(), role: z.enum(['customer', 'agent']), active: z.boolean(),
    agentId: z.string().exactOptional(), name: z.string().exactOptional(),
  }),
  z.object({ type: z.literal('viewing'), conversationId: z.string(), handoffId: z.string(), agentId: z.string(), name: z.string() }),
]);
