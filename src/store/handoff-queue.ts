/**
 * Queue-position query for handoffs, in the order `listHandoffs` serves them: priority
 * descending, then oldest first, then id (so equal timestamps still have one order).
 *
 * @module
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** 1-based place of a waiting handoff among waiting handoffs of its skill group; 0 otherwise. */
export async function queuePosition(db: Kysely<Database>, handoffId: string): Promise<number> {
  const handoff = await db
    .selectFrom('handoffs')
    .select(['status', 'skill_group', 'priority', 'created_at'])
    .where('id', '=', handoffId)
    .executeTakeFirst();
  if (handoff === undefined || handoff.status !== 'waiting') return 0;
  const { ahead } = await db
    .selectFrom('handoffs')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('ahead'))
    .where('status', '=', 'waiting')
    .where('skill_group', '=', handoff.skill_group)
    .where((eb) =>
      eb.or([
        eb('priority', '>', handoff.priority),
        eb.and([
          eb('priority', '=', handoff.priority),
          eb.or([
            eb('created_at', '<', handoff.created_at),
            eb.and([eb('created_at', '=', handoff.created_at), eb('id', '<', handoffId)]),
          ]),
        ]),
      ]),
    )
    .executeTakeFirstOrThrow();
  // PostgreSQL returns count(*) as a bigint string, SQLite as a number.
  return 1 + Number(ahead);
}
