/**
 * Migration `0002_handoff_console`: what the agent console, tickets, CSAT and webhooks need.
 * Same rules as `0001_initial`: only types both engines accept, timestamps as ISO TEXT, and
 * every "exactly once" backed by a primary or unique key.
 *
 * @module
 */
import type { Kysely, Migration } from 'kysely';

type AnyDatabase = Kysely<Record<string, never>>;

/** The migration registered as `0002_handoff_console`. */
export const handoffConsole: Migration = {
  async up(db: AnyDatabase): Promise<void> {
    // The emotion the detector read in a customer message, for the trend shown to the agent.
    await db.schema.alterTable('messages').addColumn('emotion', 'text').execute();

    await db.schema
      .createTable('agent_sessions')
      // sha256 of the bearer token: a database leak does not hand out live sessions.
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('agent_id', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('last_seen_at', 'text', (column) => column.notNull())
      .addColumn('expires_at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('agent_sessions_expiry_idx').on('agent_sessions').columns(['expires_at']).execute();

    await db.schema
      .createTable('agent_actions')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('agent_id', 'text', (column) => column.notNull())
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('handoff_id', 'text')
      .addColumn('conversation_id', 'text')
      .addColumn('detail', 'text', (column) => column.notNull())
      .addColumn('at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('agent_actions_handoff_idx').on('agent_actions').columns(['handoff_id', 'at']).execute();
    await db.schema.createIndex('agent_actions_at_idx').on('agent_actions').columns(['at']).execute();

    await db.schema
      .createTable('tickets')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('number', 'text', (column) => column.notNull().unique())
      .addColumn('day', 'text', (column) => column.notNull())
      .addColumn('seq', 'integer', (column) => column.notNull())
      .addColumn('conversation_id', 'text', (column) => column.notNull().references('conversations.id').onDelete('cascade'))
      .addColumn('skill_group', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('reason', 'text', (column) => column.notNull())
      .addColumn('summary', 'text', (column) => column.notNull())
      .addColumn('lang', 'text', (column) => column.notNull())
      .addColumn('channel', 'text', (column) => column.notNull())
      .addColumn('promised_by', 'text', (column) => column.notNull())
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('updated_at', 'text', (column) => column.notNull())
      .addUniqueConstraint('tickets_day_seq_key', ['day', 'seq'])
      .execute();

    await db.schema
      .createTable('ratings')
      // One rating per resolved handoff: the key refuses a second one.
      .addColumn('handoff_id', 'text', (column) => column.primaryKey().references('handoffs.id').onDelete('cascade'))
      .addColumn('conversation_id', 'text', (column) => column.notNull())
      .addColumn('skill_group', 'text', (column) => column.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('score', 'integer', (column) => column.notNull())
      .addColumn('comment', 'text')
      .addColumn('channel', 'text', (column) => column.notNull())
      .addColumn('at', 'text', (column) => column.notNull())
      .execute();
    await db.schema.createIndex('ratings_at_idx').on('ratings').columns(['at']).execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('id', 'text', (column) => column.primaryKey())
      // handoff + group: the same handoff is never queued twice for one group's webhook.
      .addColumn('key', 'text', (column) => column.notNull().unique())
      .addColumn('handoff_id', 'text', (column) => column.notNull())
      .addColumn('skill_group', 'text', (column) => column.notNull())
      .addColumn('url', 'text', (column) => column.notNull())
      .addColumn('payload', 'text', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull())
      .addColumn('next_attempt_at', 'text', (column) => column.notNull())
      .addColumn('last_error', 'text')
      .addColumn('last_status', 'integer')
      .addColumn('created_at', 'text', (column) => column.notNull())
      .addColumn('delivered_at', 'text')
      .execute();
    await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    // Team-lead figures read handoffs by when they were resolved.
    await db.schema.createIndex('handoffs_resolved_idx').on('handoffs').columns(['resolved_at']).execute();
  },

  async down(db: AnyDatabase): Promise<void> {
    await db.schema.dropIndex('handoffs_resolved_idx').ifExists().execute();
    for (const table of ['webhook_deliveries', 'ratings', 'tickets', 'agent_actions', 'agent_sessions']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
    await db.schema.alterTable('messages').dropColumn('emotion').execute();
  },
};
