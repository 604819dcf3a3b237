/**
 * Rows of the console tables to records and back, checked with zod when read (as
 * `row-mapping.ts` does for the core tables).
 *
 * @module
 */
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { AgentAction, AgentSession, Rating, Ticket, WebhookDelivery } from './console-records.js';
import type { AgentActionsTable, AgentSessionsTable, RatingsTable, TicketsTable, WebhookDeliveriesTable } from './schema.js';
import { StoreRowInvalidError } from './store-errors.js';

const channel = z.enum(['web', 'wechat', 'wecom', 'teams']);
const reason = z.enum(['asked', 'failed_turns', 'emotion', 'intent', 'vip']);

const sessionSchema: z.ZodType<AgentSession> = z.object({
  id: z.string(), agentId: z.string(), status: z.enum(['online', 'busy', 'offline']),
  createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string(),
});
const actionSchema: z.ZodType<AgentAction> = z.object({
  id: z.string(), agentId: z.string(), action: z.string(), handoffId: z.string().exactOptional(),
  conversationId: z.string().exactOptional(), detail: z.record(z.string(), z.unknown()), at: z.string(),
});
const ticketSchema: z.ZodType<Ticket> = z.object({
  id: z.string(), number: z.string(), conversationId: z.string(), skillGroup: z.string(), status: z.enum(['open', 'closed']),
  reason, summary: z.string(), lang: z.enum(['zh', 'en']), channel, promisedBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
});
const ratingSchema: z.ZodType<Rating> = z.object({
  handoffId: z.string(), conversationId: z.string(), skillGroup: z.string(), agentId: z.string().exactOptional(),
  score: z.number().int().min(1).max(5), comment: z.string().exactOptional(), channel, at: z.string(),
});
const deliverySchema: z.ZodType<WebhookDelivery> = z.object({
  id: z.string(), key: z.string(), handoffId: z.string(), skillGroup: z.string(), url: z.string(), payload: z.string(),
  status: z.enum(['pending', 'sending', 'delivered', 'failed']), attempts: z.number().int(), nextAttemptAt: z.string(),
  lastError: z.string().exactOptional(), lastStatus: z.number().int().exactOptional(), createdAt: z.string(), deliveredAt: z.string().exactOptional(),
});

function check<T>(table: string, id: string, schema: z.ZodType<T>, candidate: Record<string, unknown>): T {
  // NULL columns stand for absent optional fields.
  const present = Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== null));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const detail = result.error.issues.map((issue) => `${issue.path.join('.') || '(row)'}: ${issue.message}`).join('; ');
  throw new StoreRowInvalidError(table, id, detail, { cause: result.error });
}

/** Reads an `agent_sessions` row; throws `StoreRowInvalidError` if it does not fit. */
export function rowToSession(row: Selectable<AgentSessionsTable>): AgentSession {
  return check('agent_sessions', row.id, sessionSchema, {
    id: row.id, agentId: row.agent_id, status: row.status, createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at,
  });
}

/** Reads an `agent_actions` row; throws `StoreRowInvalidError` if it does not fit. */
export function rowToAction(row: Selectable<AgentActionsTable>): AgentAction {
  let detail: unknown;
  try {
    detail = JSON.parse(row.detail) as unknown;
  } catch (error) {
    throw new StoreRowInvalidError('agent_actions', row.id, 'column detail is not JSON', { cause: error });
  }
  return check('agent_actions', row.id, actionSchema, {
    id: row.id, agentId: row.agent_id, action: row.action, handoffId: row.handoff_id, conversationId: row.conversation_id, detail, at: row.at,
  });
}

/** Reads a `tickets` row; throws `StoreRowInvalidError` if it does not fit. */
export function rowToTicket(row: Selectable<TicketsTable>): Ticket {
  return check('tickets', row.id, ticketSchema, {
    id: row.id, number: row.number, conversationId: row.conversation_id, skillGroup: row.skill_group, status: row.status, reason: row.reason,
    summary: row.summary, lang: row.lang, channel: row.channel, promisedBy: row.promised_by, createdAt: row.created_at, updatedAt: row.updated_at,
  });
}

/** Reads a `ratings` row; throws `StoreRowInvalidError` if it does not fit. */
export function rowToRating(row: Selectable<RatingsTable>): Rating {
  return check('ratings', row.handoff_id, ratingSchema, {
    handoffId: row.handoff_id, conversationId: row.conversation_id, skillGroup: row.skill_group, agentId: row.agent_id,
    score: row.score, comment: row.comment, channel: row.channel, at: row.at,
  });
}

/** Reads a `webhook_deliveries` row; throws `StoreRowInvalidError` if it does not fit. */
export function rowToDelivery(row: Selectable<WebhookDeliveriesTable>): WebhookDelivery {
  return check('webhook_deliveries', row.id, deliverySchema, {
    id: row.id, key: row.key, handoffId: row.handoff_id, skillGroup: row.skill_group, url: row.url, payload: row.payload, status: row.status,
    attempts: row.attempts, nextAttemptAt: row.next_attempt_at, lastError: row.last_error, lastStatus: row.last_status,
    createdAt: row.created_at, deliveredAt: row.delivered_at,
  });
}

/** Turns a delivery into the row that stores it. */
export function deliveryToRow(delivery: WebhookDelivery): Selectable<WebhookDeliveriesTable> {
  return {
    id: delivery.id, key: delivery.key, handoff_id: delivery.handoffId, skill_group: delivery.skillGroup, url: delivery.url,
    payload: delivery.payload, status: delivery.status, attempts: delivery.attempts, next_attempt_at: delivery.nextAttemptAt,
    last_error: delivery.lastError ?? null, last_status: delivery.lastStatus ?? null, created_at: delivery.createdAt, delivered_at: delivery.deliveredAt ?? null,
  };
}
