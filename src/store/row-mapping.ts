/**
 * Converts between records and rows: camelCase to snake_case, JSON fields to TEXT, optional
 * fields to NULL and back. Reading validates with the zod schemas in `record-schemas.ts`, so a
 * row another program wrote badly fails here, naming the table, the id and the field.
 *
 * @module
 */
import type { Selectable } from 'kysely';
import type { z } from 'zod';
import {
  conversationSchema,
  handoffSchema,
  storedMessageSchema,
} from './record-schemas.js';
import type { Conversation, Handoff, NewHandoff, StoredMessage } from './records.js';
import type { ConversationsTable, HandoffsTable, MessagesTable } from './schema.js';
import { StoreRowInvalidError } from './store-errors.js';

type ConversationRow = Selectable<ConversationsTable>;
type MessageRow = Selectable<MessagesTable>;
type HandoffRow = Selectable<HandoffsTable>;

/** Turns a record into the row that stores it. */
export function conversationToRow(conversation: Conversation): ConversationRow {
  return {
    id: conversation.id,
    channel: conversation.channel,
    customer: JSON.stringify(conversation.customer),
    lang: conversation.lang,
    status: conversation.status,
    failed_turns: conversation.failedTurns,
    created_at: conversation.createdAt,
    updated_at: conversation.updatedAt,
    customer_id: conversation.customer.id ?? null,
  };
}

/** Turns a new handoff into its row; every handoff starts out waiting. */
export function newHandoffToRow(handoff: NewHandoff): HandoffRow {
  return {
    id: handoff.id,
    conversation_id: handoff.conversationId,
    skill_group: handoff.skillGroup,
    reason: handoff.reason,
    priority: handoff.priority,
    status: 'waiting',
    summary: handoff.summary,
    context: JSON.stringify(handoff.context),
    agent_id: null,
    created_at: handoff.createdAt,
    accepted_at: null,
    resolved_at: null,
    snoozed_until: null,
    snoozed_until_reply: 0,
  };
}

/** Reads a `conversations` row back; throws `StoreRowInvalidError` if it does not fit. */
export function rowToConversation(row: ConversationRow): Conversation {
  return validate('conversations', row.id, conversationSchema, {
    id: row.id,
    channel: row.channel,
    customer: parseJson('conversations', row.id, 'customer', row.customer),
    lang: row.lang,
    status: row.status,
    failedTurns: row.failed_turns,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** Reads a `messages` row back; throws `StoreRowInvalidError` if it does not fit. */
export function rowToMessage(row: MessageRow): StoredMessage {
  return validate('messages', row.id, storedMessageSchema, {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    role: row.role,
    text: row.text,
    channel: row.channel,
    intent: row.intent,
    confidence: row.confidence,
    citations: parseJson('messages', row.id, 'citations', row.citations),
    agentId: row.agent_id,
    emotion: row.emotion,
    at: row.at,
  });
}

/** Reads a `handoffs` row back; throws `StoreRowInvalidError` if it does not fit. */
export function rowToHandoff(row: HandoffRow): Handoff {
  return validate('handoffs', row.id, handoffSchema, {
    id: row.id,
    conversationId: row.conversation_id,
    skillGroup: row.skill_group,
    reason: row.reason,
    priority: row.priority,
    status: row.status,
    summary: row.summary,
    context: parseJson('handoffs', row.id, 'context', row.context),
    agentId: row.agent_id,
    createdAt: row.created_at,
    acceptedAt: row.accepted_at,
    resolvedAt: row.resolved_at,
    snoozedUntil: row.snoozed_until,
    snoozedUntilReply: row.snoozed_until_reply ? true : null,
  });
}

function parseJson(table: string, id: string, column: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StoreRowInvalidError(table, id, `column ${column} is not JSON`, { cause: error });
  }
}

function validate<T>(table: string, id: string, schema: z.ZodType<T>, candidate: Record<string, unknown>): T {
  // NULL columns stand for absent optional fields; the record types have no nulls.
  const present = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== null));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`)
    .join('; ');
  throw new StoreRowInvalidError(table, id, detail, { cause: result.error });
}
