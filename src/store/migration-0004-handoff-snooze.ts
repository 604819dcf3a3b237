/**
 * Migration `0004_handoff_snooze`: an agent may snooze (稍后处理) a conversation they handle,
 * until a time (`handoffs.snoozed_until`, ISO) or until the customer replies
 * (`handoffs.snoozed_until_reply`, 0 or 1). A customer message clears both.
 *
 * @module
 */
import type { Kysely, Migration } from 'kysely';

// Migrations see the database as it was when they were written, not as `Database` is now.
type AnyDatabase = Kysely<Record<string, never>>;

export const handoffSnoozeMigration: Migration = {
  async up(db: AnyDatabase): Promise<void> {
    await db.schema.alterTable('handoffs').addColumn('snoozed_until', 'text').execute();
    await db.schema.alterTable('handoffs').addColumn('snoozed_until_reply', 'integer', (column) => column.notNull().defaultTo(0)).execute();
  },

  async down(db: AnyDatabase): Promise<void> {
    await db.schema.alterTable('handoffs').dropColumn('snoozed_until_reply').execute();
    await db.schema.alterTable('handoffs').dropColumn('snoozed_until').execute();
  },
};
