/**
 * Inserting a ticket with the next number of its day, race-safe across instances: the same
 * `INSERT … SELECT max(seq) + 1` as messages, retried when UNIQUE(day, seq) refuses a racer.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { NewTicket, Ticket } from './console-records.js';
import { isForeignKeyViolation, isUniqueViolation } from './db-errors.js';
import type { Database } from './schema.js';
import { ConversationNotFoundError } from './store-errors.js';

const DAY_SEQ_KEY = { name: 'tickets_day_seq_key', columns: ['tickets.day', 'tickets.seq'] } as const;
const NUMBER_KEY = { name: 'tickets_number_key', columns: ['tickets.number'] } as const;
const MAX_ATTEMPTS = 50;

/** Stores `ticket` under the next free number of `ticket.day` and returns it. */
export async function createTicket(db: Kysely<Database>, ticket: NewTicket): Promise<Ticket> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { seq } = await db
        .selectFrom('tickets')
        .select((select) => select(select.fn.coalesce(select.fn.max('seq'), select.lit(0)), '+', select.lit(1)).as('seq'))
        .where('day', '=', ticket.day)
        .executeTakeFirstOrThrow();
      // The format the handoff layer parses (`ticket-number.ts`): T + day + a 4-digit counter.
      const number = `T${ticket.day}-${String(seq).padStart(4, '0')}`;
      await db
        .insertInto('tickets')
        .values({
          id: ticket.id, number, day: ticket.day, seq: Number(seq), conversation_id: ticket.conversationId, skill_group: ticket.skillGroup,
          status: 'open', reason: ticket.reason, summary: ticket.summary, lang: ticket.lang, channel: ticket.channel,
          promised_by: ticket.promisedBy, created_at: ticket.createdAt, updated_at: ticket.createdAt,
        })
        .execute();
      const { day: _day, ...rest } = ticket;
      return { ...rest, number, status: 'open', updatedAt: ticket.createdAt };
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new ConversationNotFoundError(ticket.conversationId, { cause: error });
      const raced = isUniqueViolation(error, DAY_SEQ_KEY) || isUniqueViolation(error, NUMBER_KEY);
      if (!raced || attempt >= MAX_ATTEMPTS) throw error;
      await sleep(Math.random() * Math.min(attempt, 10) * 2);
    }
  }
}
