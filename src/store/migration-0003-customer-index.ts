/**
 * Migration `0003_customer_index`: a customer is a (channel, user id) pair. Adds
 * `conversations.customer_id` (a copy of `customer.id`, so it can be indexed on both engines)
 * with an index for "the open-or-latest conversation of this customer", and `channel_refs`,
 * where a channel keeps what it needs to reach a customer later (WeChat openid and app, Teams
 * conversation reference). Independent of `0002`: it touches no table that one changes.
 *
 * @module
 */
import { sql, type Kysely, type Migration } from 'kysely';

// Migrations see the database as it was when they were written, not as `Database` is now.
type AnyDatabase = Kysely<Record<string, never>>;

/** Rows copied per backfill page, so a large table is not read into memory at once. */
const BACKFILL_PAGE = 500;

export const customerIndexMigration: Migration = {
  async up(db: AnyDatabase): Promise<void> {
    await db.schema.alterTable('conversations').addColumn('customer_id', 'text').execute();
    await backfillCustomerIds(db);
    await db.schema
      .createIndex('conversations_customer_idx')
      .on('conversations')
      .columns(['channel', 'customer_id', 'updated_at'])
      .execute();
    await db.schema
      .createTable('channel_refs')
      .addColumn('conversation_id', 'text', (column) =>
        column.primaryKey().references('conversations.id').onDelete('cascade'),
      )
      .addColumn('channel', 'text', (column) => column.notNull())
      .addColumn('address', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();
  },

  async down(db: AnyDatabase): Promise<void> {
    await db.schema.dropTable('channel_refs').ifExists().execute();
    await db.schema.dropIndex('conversations_customer_idx').ifExists().execute();
    await db.schema.alterTable('conversations').dropColumn('customer_id').execute();
  },
};

/**
 * Copies `customer.id` out of the JSON column in JavaScript: SQLite and PostgreSQL spell JSON
 * access differently, and this runs once.
 */
async function backfillCustomerIds(db: AnyDatabase): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await sql<{ id: string; customer: string }>`
      select id, customer from conversations where id > ${after} order by id limit ${BACKFILL_PAGE}`.execute(db);
    for (const row of rows) {
      const customerId = customerIdOf(row.customer);
      if (customerId !== undefined) {
        await sql`update conversations set customer_id = ${customerId} where id = ${row.id}`.execute(db);
      }
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < BACKFILL_PAGE) return;
    after = last.id;
  }
}

function customerIdOf(json: string): string | undefined {
  try {
    const customer = JSON.parse(json) as { id?: unknown };
    return typeof customer.id === 'string' ? customer.id : undefined;
  } catch {
    return undefined;
  }
}
