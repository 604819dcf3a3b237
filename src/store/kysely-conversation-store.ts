/**
 * The `ConversationStore` over Kysely, one implementation for SQLite and PostgreSQL. Every
 * write that must happen once is decided by the database (a unique key or a conditional
 * update), never by a lock in this process, so several instances can share one database.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Updateable } from 'kysely';
import type { ConversationStore } from './conversation-store.js';
import { appendWithNextSeq } from './append-message.js';
import { findConversationByCustomer, getChannelRef, listConversationsByCustomer, saveChannelRef } from './customer-queries.js';
import { isForeignKeyViolation } from './db-errors.js';
import { KyselyConsoleStore } from './kysely-console-store.js';
import { queuePosition } from './handoff-queue.js';
import { migrateToLatest } from './migrations.js';
import type {
  ChannelName,
  ChannelRef,
  Conversation,
  Handoff,
  HandoffStatus,
  NewHandoff,
  NewMessage,
  StoredMessage,
} from './records.js';
import {
  conversationToRow,
  newHandoffToRow,
  rowToConversation,
  rowToHandoff,
  rowToMessage,
} from './row-mapping.js';
import type { ConversationsTable, Database, HandoffsTable } from './schema.js';
import { ConversationNotFoundError } from './store-errors.js';

/** Options for `KyselyConversationStore`. */
export interface KyselyConversationStoreOptions {
  /** Generates message ids. Default: `crypto.randomUUID`. */
  newId?: () => string;
}

/** A store and the Kysely instance under it (closing the store closes the database). */
export interface OpenedKyselyStore {
  store: KyselyConversationStore;
  db: Kysely<Database>;
}

/** `ConversationStore` on a `Kysely<Database>` (SQLite or PostgreSQL dialect). */
export class KyselyConversationStore extends KyselyConsoleStore implements ConversationStore {
  readonly #db: Kysely<Database>;
  readonly #newId: () => string;

  constructor(db: Kysely<Database>, options: KyselyConversationStoreOptions = {}) {
    super(db);
    this.#db = db;
    this.#newId = options.newId ?? (() => randomUUID());
  }

  migrate(): Promise<void> {
    return migrateToLatest(this.#db);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  /** Closes the underlying connection or pool; the store is unusable afterwards. */
  async close(): Promise<void> {
    await this.#db.destroy();
  }

  async createConversation(conversation: Conversation): Promise<void> {
    await this.#db.insertInto('conversations').values(conversationToRow(conversation)).execute();
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const row = await this.#db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : rowToConversation(row);
  }

  /** Throws `ConversationNotFoundError` when no conversation has this id. */
  async updateConversation(
    id: string,
    patch: Partial<Pick<Conversation, 'status' | 'failedTurns' | 'lang' | 'customer'>>,
    at: string,
  ): Promise<void> {
    const changes: Updateable<ConversationsTable> = { updated_at: at };
    if (patch.status !== undefined) changes.status = patch.status;
    if (patch.failedTurns !== undefined) changes.failed_turns = patch.failedTurns;
    if (patch.lang !== undefined) changes.lang = patch.lang;
    if (patch.customer !== undefined) {
      changes.customer = JSON.stringify(patch.customer);
      changes.customer_id = patch.customer.id ?? null;
    }
    const result = await this.#db.updateTable('conversations').set(changes).where('id', '=', id).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw new ConversationNotFoundError(id);
  }

  /** Race-safe across instances (see `appendWithNextSeq`); throws `ConversationNotFoundError` for an unknown conversation. */
  async appendMessage(message: NewMessage): Promise<StoredMessage> {
    const id = this.#newId();
    const seq = await appendWithNextSeq(this.#db, id, message);
    return { ...message, id, seq };
  }

  async listMessages(conversationId: string, afterSeq?: number): Promise<StoredMessage[]> {
    let query = this.#db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
    if (afterSeq !== undefined) query = query.where('seq', '>', afterSeq);
    const rows = await query.orderBy('seq', 'asc').execute();
    return rows.map(rowToMessage);
  }

  async createHandoff(handoff: NewHandoff): Promise<Handoff> {
    const row = newHandoffToRow(handoff);
    try {
      await this.#db.insertInto('handoffs').values(row).execute();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConversationNotFoundError(handoff.conversationId, { cause: error });
      throw error;
    }
    return rowToHandoff(row);
  }

  async getHandoff(id: string): Promise<Handoff | undefined> {
    const row = await this.#db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : rowToHandoff(row);
  }

  async latestHandoff(conversationId: string): Promise<Handoff | undefined> {
    const row = await this.#db
      .selectFrom('handoffs')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : rowToHandoff(row);
  }

  /** An empty `skillGroups` list matches no handoff; an absent one matches every group. */
  async listHandoffs(filter: { status?: HandoffStatus; skillGroups?: string[] }): Promise<Handoff[]> {
    if (filter.skillGroups?.length === 0) return [];
    let query = this.#db.selectFrom('handoffs').selectAll();
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.skillGroups !== undefined) query = query.where('skill_group', 'in', filter.skillGroups);
    const rows = await query.orderBy('priority', 'desc').orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
    return rows.map(rowToHandoff);
  }

  /** Ties of priority and age are broken by id, the same order `listHandoffs` uses. */
  queuePosition(handoffId: string): Promise<number> {
    return queuePosition(this.#db, handoffId);
  }

  /**
   * One conditional `UPDATE … WHERE id = ? AND status = from`: the database serializes racing
   * callers on the row, and only the first still finds `from`. Accepting records the agent and
   * `acceptedAt`; resolving records `resolvedAt`.
   */
  async transitionHandoff(
    id: string,
    from: HandoffStatus,
    to: HandoffStatus,
    fields: { agentId?: string; at: string },
  ): Promise<boolean> {
    const changes: Updateable<HandoffsTable> = { status: to };
    if (to === 'accepted') {
      changes.agent_id = fields.agentId ?? null;
      changes.accepted_at = fields.at;
      changes.snoozed_until = null;
      changes.snoozed_until_reply = 0;
    }
    // Returning to the bot ends a handoff too; its end time counts like a resolution's.
    if (to === 'resolved' || to === 'cancelled') changes.resolved_at = fields.at;
    const result = await this.#db
      .updateTable('handoffs')
      .set(changes)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** The key is the primary key of `dedupe_keys`; a repeat inserts nothing instead of failing. */
  async claimOnce(key: string, at: string): Promise<boolean> {
    const result = await this.#db
      .insertInto('dedupe_keys')
      .values({ key, created_at: at })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  /** One `DELETE` by primary key: of several racing releases only one finds the row. */
  async releaseDedupeKey(key: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('dedupe_keys').where('key', '=', key).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async pruneDedupeKeys(before: string): Promise<number> {
    const result = await this.#db.deleteFrom('dedupe_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  findConversationByCustomer(channel: ChannelName, customerId: string): Promise<Conversation | undefined> {
    return findConversationByCustomer(this.#db, channel, customerId);
  }

  listConversationsByCustomer(channel: ChannelName, customerId: string, limit: number): Promise<Conversation[]> {
    return listConversationsByCustomer(this.#db, channel, customerId, limit);
  }

  saveChannelRef(ref: ChannelRef): Promise<void> {
    return saveChannelRef(this.#db, ref);
  }

  getChannelRef(conversationId: string): Promise<ChannelRef | undefined> {
    return getChannelRef(this.#db, conversationId);
  }
}
