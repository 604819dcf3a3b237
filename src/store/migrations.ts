/**
 * The one migration set for both engines, kept in code so a bundled build needs no files on
 * disk. Only types that SQLite and PostgreSQL both accept are used (text, integer, double
 * precision), so the same schema-builder calls produce equivalent tables on each.
 *
 * @module
 */
import { Migrator, PostgresAdapter, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { handoffConsole } from './migration-0002-handoff-console.js';
import { customerIndexMigration } from './migration-0003-customer-index.js';
import { handoffSnoozeMigration } from './migration-0004-handoff-snooze.js';
import type { Database } from './schema.js';
import { StoreMigrationError } from './store-errors.js';

// Migrations see the database as it was when they were written, not as `Database` is now.
type AnyDatabase = Kysely<Record<string, never>>;

const initial: Migration = {
  async up(db: AnyDatabase): Promise<void> {
    await db.schema
      .createTable('conversations')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('channel', 'text', (column) => column.notNull())
      .addColumn('customer', 'text', (column) => column.notNull())
      .addColumn('lang', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('failed_turns', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('conversation_id', 'text', (column) =>
        column.notNull().references('conversations.id').onDelete('cascade'),
      )
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('text', 'text', (column) => column.notNull())
      .addColumn('channel', 'text', (column) => column.notNull())
      .addColumn('intent', 'text')
      .addColumn('confidence', 'double precision')
      .addColumn('citations', 'text', (column) => column.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('at', 'text', (column) => column.notNull())
      .addUniqueConstraint('messages_conversation_seq_key', ['conversation_id', 'seq'])
      .execute();

    await db.schema
      .createTable('handoffs')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('conversation_id', 'text', (column) =>
        column.notNull().references('conversations.id').onDelete('cascade'),
      )
      .addColumn('skill_group', 'text', (column) => column.notNull())
      .addColumn('reason', 'text', (column) => column.notNull())
      .addColumn('priority', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('summary', 'text', (column) => column.notNull())
      .addColumn('context', 'text', (column) => column.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('accepted_at', 'text')
      .addColumn('resolved_at', 'text')
      .execute();
    await db.schema
      .createIndex('handoffs_queue_idx')
      .on('handoffs')
      .columns(['status', 'skill_group', 'priority', 'created_at'])
      .execute();
    // latestHandoff looks up by conversation, newest first.
    await db.schema
      .createIndex('handoffs_conversation_idx')
      .on('handoffs')
      .columns(['conversation_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('dedupe_keys')
      .addColumn('key', 'text', (column) => column.primaryKey())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .execute();
  },

  async down(db: AnyDatabase): Promise<void> {
    for (const table of ['dedupe_keys', 'handoffs', 'messages', 'conversations']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

/** Every migration by name; names sort in the order they must run. */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_handoff_console': handoffConsole,
  '0003_customer_index': customerIndexMigration,
  '0004_handoff_snooze': handoffSnoozeMigration,
};

/** Serves `migrations` to Kysely's `Migrator` without reading a folder. */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};

/**
 * Brings the schema up to the latest migration. Safe to run on every start and from several
 * instances at once: Kysely's migrator takes a lock (an advisory lock on PostgreSQL) and skips
 * migrations already recorded in `kysely_migration`.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrationTableSchema = await postgresCurrentSchema(db);
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    ...(migrationTableSchema !== undefined && { migrationTableSchema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new StoreMigrationError(failed?.migrationName, { cause: error });
  }
}

/**
 * The schema PostgreSQL creates unqualified tables in (the first on `search_path`), or undefined
 * on SQLite. Without it Kysely's migrator looks for its tables in every schema of the database,
 * so a second schema in the same database (another instance, a test run) would make it believe
 * its lock table exists where the search path cannot see it.
 */
async function postgresCurrentSchema(db: Kysely<Database>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}
