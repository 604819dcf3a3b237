/**
 * `ConsoleStore` over Kysely, for SQLite and PostgreSQL; `KyselyConversationStore` extends it.
 *
 * @module
 */
import { sql, type Kysely, type Updateable } from 'kysely';
import type { ConsoleStore } from './console-store.js';
import type {
  AgentAction, AgentSession, AgentStatus, NewTicket, Rating, Ticket, WebhookAttemptResult, WebhookDelivery, WebhookStatus,
} from './console-records.js';
import { deliveryToRow, rowToAction, rowToDelivery, rowToRating, rowToSession, rowToTicket } from './console-row-mapping.js';
import { createTicket } from './create-ticket.js';
import type { Handoff, HandoffStatus } from './records.js';
import { rowToHandoff } from './row-mapping.js';
import type { AgentSessionsTable, Database } from './schema.js';

/** The console half of the Kysely store. */
export class KyselyConsoleStore implements ConsoleStore {
  constructor(protected readonly db: Kysely<Database>) {}

  /** One conditional UPDATE, like `transitionHandoff`: racing transfers and accepts serialize on the row. */
  async transferHandoff(id: string, change: { from: HandoffStatus; fromGroup: string; toGroup: string; agentId?: string; at: string }): Promise<boolean> {
    let query = this.db
      .updateTable('handoffs')
      .set({ status: 'waiting', skill_group: change.toGroup, agent_id: null, accepted_at: null, snoozed_until: null, snoozed_until_reply: 0 })
      .where('id', '=', id)
      .where('status', '=', change.from)
      .where('skill_group', '=', change.fromGroup);
    if (change.agentId !== undefined) query = query.where('agent_id', '=', change.agentId);
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /**
   * The agent's live online sessions are locked first (a no-op update), so assignments to one
   * agent from any instance run one after another and each counts the chats the previous one
   * gave; then the same conditional UPDATE as an accept decides the handoff once.
   */
  async assignHandoff(id: string, change: { skillGroup: string; agentId: string; capacity: number; seenSince: string; at: string }): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const present = await trx.updateTable('agent_sessions').set({ agent_id: change.agentId })
        .where('agent_id', '=', change.agentId).where('status', '=', 'online')
        .where('last_seen_at', '>=', change.seenSince).where('expires_at', '>', change.at)
        .executeTakeFirst();
      if (present.numUpdatedRows === 0n) return false;
      const { active } = await trx.selectFrom('handoffs')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('active'))
        .where('status', '=', 'accepted').where('agent_id', '=', change.agentId)
        .executeTakeFirstOrThrow();
      // PostgreSQL returns count(*) as a bigint string, SQLite as a number.
      if (Number(active) >= change.capacity) return false;
      const result = await trx.updateTable('handoffs')
        .set({ status: 'accepted', agent_id: change.agentId, accepted_at: change.at, snoozed_until: null, snoozed_until_reply: 0 })
        .where('id', '=', id).where('status', '=', 'waiting').where('skill_group', '=', change.skillGroup)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    });
  }

  async snoozeHandoff(id: string, change: { agentId: string; until?: string; untilReply: boolean }): Promise<boolean> {
    const result = await this.db.updateTable('handoffs')
      .set({ snoozed_until: change.untilReply ? null : (change.until ?? null), snoozed_until_reply: change.untilReply ? 1 : 0 })
      .where('id', '=', id).where('status', '=', 'accepted').where('agent_id', '=', change.agentId)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async wakeHandoff(id: string, now: string): Promise<boolean> {
    const result = await this.db.updateTable('handoffs')
      .set({ snoozed_until: null, snoozed_until_reply: 0 })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('snoozed_until_reply', '=', 1), eb('snoozed_until', '>', now)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** One `UPDATE … RETURNING`: of racing sweeps, only the one whose update matched a row reports it. */
  async endDueSnoozes(now: string): Promise<string[]> {
    const rows = await this.db.updateTable('handoffs').set({ snoozed_until: null })
      .where('status', '=', 'accepted').where('snoozed_until', '<=', now).returning('id').execute();
    return rows.map((row) => row.id);
  }

  async recentlyResolved(limit: number): Promise<Handoff[]> {
    const rows = await this.db.selectFrom('handoffs').selectAll().where('status', '=', 'resolved')
      .orderBy('resolved_at', 'desc').limit(limit).execute();
    return rows.map(rowToHandoff);
  }

  async handoffsActiveSince(since: string): Promise<Handoff[]> {
    const rows = await this.db.selectFrom('handoffs').selectAll()
      .where((eb) => eb.or([
        eb('status', 'in', ['waiting', 'accepted']),
        eb('created_at', '>=', since),
        eb('accepted_at', '>=', since),
        eb('resolved_at', '>=', since),
      ]))
      .orderBy('created_at', 'asc').execute();
    return rows.map(rowToHandoff);
  }

  async conversationOutcomesSince(since: string): Promise<{ conversations: number; handedOff: number; botResolved: number }> {
    const { rows } = await sql<{ conversations: number | string | null; handed_off: number | string | null; bot_resolved: number | string | null }>`
      SELECT COUNT(*) AS conversations,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id) THEN 1 ELSE 0 END) AS handed_off,
        SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.conversation_id = c.id) AND c.failed_turns = 0 THEN 1 ELSE 0 END) AS bot_resolved
      FROM conversations c
      WHERE c.created_at >= ${since}
        AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.role = 'customer')`.execute(this.db);
    const row = rows[0];
    return { conversations: Number(row?.conversations ?? 0), handedOff: Number(row?.handed_off ?? 0), botResolved: Number(row?.bot_resolved ?? 0) };
  }

  async firstAgentRepliesSince(since: string): Promise<Array<{ conversationId: string; at: string }>> {
    const rows = await this.db.selectFrom('messages').select(['conversation_id', (eb) => eb.fn.min('at').as('first_at')])
      .where('role', '=', 'agent').where('at', '>=', since).groupBy('conversation_id').execute();
    return rows.map((row) => ({ conversationId: row.conversation_id, at: String(row.first_at) }));
  }

  async createAgentSession(session: AgentSession): Promise<void> {
    await this.db.insertInto('agent_sessions').values({
      id: session.id, agent_id: session.agentId, status: session.status, created_at: session.createdAt,
      last_seen_at: session.lastSeenAt, expires_at: session.expiresAt,
    }).execute();
  }

  async getAgentSession(id: string): Promise<AgentSession | undefined> {
    const row = await this.db.selectFrom('agent_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : rowToSession(row);
  }

  async touchAgentSession(id: string, patch: { lastSeenAt: string; status?: AgentStatus }): Promise<void> {
    const changes: Updateable<AgentSessionsTable> = { last_seen_at: patch.lastSeenAt };
    if (patch.status !== undefined) changes.status = patch.status;
    await this.db.updateTable('agent_sessions').set(changes).where('id', '=', id).execute();
  }

  async deleteAgentSession(id: string): Promise<void> {
    await this.db.deleteFrom('agent_sessions').where('id', '=', id).execute();
  }

  async listAgentSessions(now: string): Promise<AgentSession[]> {
    const rows = await this.db.selectFrom('agent_sessions').selectAll().where('expires_at', '>', now).execute();
    return rows.map(rowToSession);
  }

  async recordAgentAction(action: AgentAction): Promise<void> {
    await this.db.insertInto('agent_actions').values({
      id: action.id, agent_id: action.agentId, action: action.action, handoff_id: action.handoffId ?? null,
      conversation_id: action.conversationId ?? null, detail: JSON.stringify(action.detail), at: action.at,
    }).execute();
  }

  async listAgentActions(filter: { handoffId?: string; conversationId?: string; since?: string; limit: number }): Promise<AgentAction[]> {
    let query = this.db.selectFrom('agent_actions').selectAll();
    if (filter.handoffId !== undefined) query = query.where('handoff_id', '=', filter.handoffId);
    if (filter.conversationId !== undefined) query = query.where('conversation_id', '=', filter.conversationId);
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    const rows = await query.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(rowToAction);
  }

  createTicket(ticket: NewTicket): Promise<Ticket> {
    return createTicket(this.db, ticket);
  }

  async getTicketByNumber(number: string): Promise<Ticket | undefined> {
    const row = await this.db.selectFrom('tickets').selectAll().where('number', '=', number.toUpperCase()).executeTakeFirst();
    return row === undefined ? undefined : rowToTicket(row);
  }

  /** The handoff id is the primary key; a second rating inserts nothing. */
  async saveRating(rating: Rating): Promise<boolean> {
    const result = await this.db.insertInto('ratings').values({
      handoff_id: rating.handoffId, conversation_id: rating.conversationId, skill_group: rating.skillGroup, agent_id: rating.agentId ?? null,
      score: rating.score, comment: rating.comment ?? null, channel: rating.channel, at: rating.at,
    }).onConflict((conflict) => conflict.column('handoff_id').doNothing()).executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  async getRating(handoffId: string): Promise<Rating | undefined> {
    const row = await this.db.selectFrom('ratings').selectAll().where('handoff_id', '=', handoffId).executeTakeFirst();
    return row === undefined ? undefined : rowToRating(row);
  }

  async listRatings(since: string): Promise<Rating[]> {
    const rows = await this.db.selectFrom('ratings').selectAll().where('at', '>=', since).orderBy('at', 'asc').execute();
    return rows.map(rowToRating);
  }

  async enqueueWebhook(delivery: WebhookDelivery): Promise<boolean> {
    const result = await this.db.insertInto('webhook_deliveries').values(deliveryToRow(delivery))
      .onConflict((conflict) => conflict.column('key').doNothing()).executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  async dueWebhooks(now: string, limit: number): Promise<WebhookDelivery[]> {
    const rows = await this.db.selectFrom('webhook_deliveries').selectAll()
      .where('status', 'in', ['pending', 'sending']).where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at', 'asc').limit(limit).execute();
    return rows.map(rowToDelivery);
  }

  /** The attempt count is the version: a sender whose lease expired cannot claim the retry. */
  async claimWebhook(id: string, attempts: number, now: string, leaseUntil: string): Promise<boolean> {
    const result = await this.db.updateTable('webhook_deliveries').set({ status: 'sending', next_attempt_at: leaseUntil })
      .where('id', '=', id).where('attempts', '=', attempts).where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', now).executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async finishWebhook(id: string, result: WebhookAttemptResult): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({
      status: result.status, attempts: result.attempts, next_attempt_at: result.nextAttemptAt, last_error: result.lastError ?? null,
      last_status: result.lastStatus ?? null, delivered_at: result.deliveredAt ?? null,
    }).where('id', '=', id).execute();
  }

  async listWebhooks(filter: { status?: WebhookStatus; limit: number }): Promise<WebhookDelivery[]> {
    let query = this.db.selectFrom('webhook_deliveries').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    const rows = await query.orderBy('created_at', 'desc').limit(filter.limit).execute();
    return rows.map(rowToDelivery);
  }
}
