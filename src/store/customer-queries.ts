/**
 * Customer identity and channel addresses (migration 0003): finding the conversation of a
 * (channel, user id) customer, and keeping what a channel needs to reach them later.
 *
 * @module
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isForeignKeyViolation } from './db-errors.js';
import type { ChannelName, ChannelRef, Conversation } from './records.js';
import { rowToConversation } from './row-mapping.js';
import type { Database } from './schema.js';
import { ConversationNotFoundError, StoreRowInvalidError } from './store-errors.js';

const channelSchema = z.enum(['web', 'wechat', 'wecom', 'teams']);
const addressSchema = z.record(z.string(), z.unknown());

/**
 * The customer's conversation that is not closed, newest first; when all are closed, the most
 * recently updated one. Served by the index on (channel, customer_id, updated_at).
 */
export async function findConversationByCustomer(
  db: Kysely<Database>,
  channel: ChannelName,
  customerId: string,
): Promise<Conversation | undefined> {
  const row = await db
    .selectFrom('conversations')
    .selectAll()
    .where('channel', '=', channel)
    .where('customer_id', '=', customerId)
    .orderBy((eb) => eb.case().when('status', '=', 'closed').then(1).else(0).end(), 'asc')
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToConversation(row);
}

/** The customer's conversations on a channel, most recently updated first (the context panel's history). */
export async function listConversationsByCustomer(
  db: Kysely<Database>,
  channel: ChannelName,
  customerId: string,
  limit: number,
): Promise<Conversation[]> {
  const rows = await db
    .selectFrom('conversations')
    .selectAll()
    .where('channel', '=', channel)
    .where('customer_id', '=', customerId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToConversation);
}

/** Inserts or replaces the channel address of a conversation (the latest inbound one wins). */
export async function saveChannelRef(db: Kysely<Database>, ref: ChannelRef): Promise<void> {
  const row = {
    conversation_id: ref.conversationId,
    channel: ref.channel,
    address: JSON.stringify(ref.address),
    updated_at: ref.updatedAt,
  };
  try {
    await db
      .insertInto('channel_refs')
      .values(row)
      .onConflict((conflict) =>
        conflict.column('conversation_id').doUpdateSet({ channel: row.channel, address: row.address, updated_at: row.updated_at }),
      )
      .execute();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw new ConversationNotFoundError(ref.conversationId, { cause: error });
    throw error;
  }
}

/** The stored channel address of a conversation, if a channel saved one. */
export async function getChannelRef(db: Kysely<Database>, conversationId: string): Promise<ChannelRef | undefined> {
  const row = await db.selectFrom('channel_refs').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst();
  if (row === undefined) return undefined;
  let address: unknown;
  try {
    address = JSON.parse(row.address) as unknown;
  } catch (error) {
    throw new StoreRowInvalidError('channel_refs', conversationId, 'column address is not JSON', { cause: error });
  }
  const channel = channelSchema.safeParse(row.channel);
  const parsed = addressSchema.safeParse(address);
  if (!channel.success || !parsed.success) {
    throw new StoreRowInvalidError('channel_refs', conversationId, 'channel or address does not fit');
  }
  return { conversationId, channel: channel.data, address: parsed.data, updatedAt: row.updated_at };
}
