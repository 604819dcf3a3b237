import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

describe('migration 0003_customer_index', () => {
  it('copies the customer id of existing conversations into the indexed column', async () => {
    const { store, db } = openSqliteStore(':memory:');
    try {
      const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('0001_initial');
      expect(error).toBeUndefined();
      const row = (id: string, customer: string) =>
        sql`insert into conversations (id, channel, customer, lang, status, failed_turns, created_at, updated_at)
            values (${id}, 'wechat', ${customer}, 'zh', 'bot', 0, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')`.execute(db);
      await row('old-1', JSON.stringify({ id: 'o-openid-1', tags: [] }));
      await row('old-2', JSON.stringify({ tags: [] }));
      await row('old-3', 'not json');

      await store.migrate();
      expect((await store.findConversationByCustomer('wechat', 'o-openid-1'))?.id).toBe('old-1');
      const ids = await db.selectFrom('conversations').select(['id', 'customer_id']).orderBy('id').execute();
      expect(ids).toEqual([
        { id: 'old-1', customer_id: 'o-openid-1' },
        { id: 'old-2', customer_id: null },
        { id: 'old-3', customer_id: null },
      ]);
    } finally {
      await store.close();
    }
  });
});
