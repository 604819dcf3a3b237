/**
 * Appending a message with the next `seq` of its conversation, race-safe across instances.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { isForeignKeyViolation, isUniqueViolation } from './db-errors.js';
import type { NewMessage } from './records.js';
import type { Database } from './schema.js';
import { ConversationNotFoundError } from './store-errors.js';

const MESSAGE_SEQ_KEY = {
  name: 'messages_conversation_seq_key',
  columns: ['messages.conversation_id', 'messages.seq'],
} as const;

/** Enough for dozens of instances appending to one conversation in the same instant. */
const MAX_ATTEMPTS = 50;

/**
 * Inserts `message` under `id` with seq = max(seq) + 1 and returns that seq.
 *
 * It is one `INSERT … SELECT` statement, which is its own transaction: on SQLite it takes the
 * write lock before it reads, so no read-to-write lock upgrade can fail; on PostgreSQL two
 * racing statements may pick the same seq, UNIQUE(conversation_id, seq) rejects the later one,
 * and it retries with the new maximum. Throws `ConversationNotFoundError` for an unknown
 * conversation.
 */
export async function appendWithNextSeq(db: Kysely<Database>, id: string, message: NewMessage): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { seq } = await insertNextMessage(db, id, message);
      return seq;
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConversationNotFoundError(message.conversationId, { cause: error });
      if (!isUniqueViolation(error, MESSAGE_SEQ_KEY) || attempt >= MAX_ATTEMPTS) throw error;
      // Jitter spreads the losers out so they do not collide again on the next seq.
      await sleep(Math.random() * Math.min(attempt, 10) * 2);
    }
  }
}

function insertNextMessage(db: Kysely<Database>, id: string, message: NewMessage): Promise<{ seq: number }> {
  return db
    .insertInto('messages')
    .columns(['id', 'conversation_id', 'seq', 'role', 'text', 'channel', 'intent', 'confidence', 'citations', 'agent_id', 'at', 'emotion'])
    .expression((eb) =>
      eb
        .selectFrom('messages')
        // An aggregate without GROUP BY yields one row even for a conversation with no messages.
        .select((select) => [
          select.val(id).as('id'),
          select.val(message.conversationId).as('conversation_id'),
          select(select.fn.coalesce(select.fn.max('seq'), select.lit(0)), '+', select.lit(1)).as('seq'),
          select.val(message.role).as('role'),
          select.val(message.text).as('text'),
          select.val(message.channel).as('channel'),
          select.val(message.intent ?? null).as('intent'),
          select.val(message.confidence ?? null).as('confidence'),
          select.val(JSON.stringify(message.citations)).as('citations'),
          select.val(message.agentId ?? null).as('agent_id'),
          select.val(message.at).as('at'),
          select.val(message.emotion ?? null).as('emotion'),
        ])
        .where('conversation_id', '=', message.conversationId),
    )
    .returning('seq')
    .executeTakeFirstOrThrow();
}
