/**
 * Appending a message with the next `seq` of its conversation, race-safe across instances.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
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

async function insertNextMessage(db: Kysely<Database>, id: string, message: NewMessage): Promise<{ seq: number }> {
  // Written as SQL rather than with the query builder: this runs twice per turn, and building and
  // compiling the builder's tree cost more than SQLite's own work. Both engines take the same text.
  const { rows } = await sql<{ seq: number }>`
    insert into messages (id, conversation_id, seq, role, text, channel, intent, confidence, citations, agent_id, at, emotion)
    select ${id}, ${message.conversationId}, coalesce(max(seq), 0) + 1, ${message.role}, ${message.text}, ${message.channel},
      ${message.intent ?? null}, ${message.confidence ?? null}, ${JSON.stringify(message.citations)}, ${message.agentId ?? null}, ${message.at}, ${message.emotion ?? null}
    from messages where conversation_id = ${message.conversationId}
    returning seq`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('insert returned no row');
  return row;
}
