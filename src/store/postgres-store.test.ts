import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runConsoleStoreContract } from './console-store.contract.js';
import { runConversationStoreContract } from './conversation-store.contract.js';
import { openPostgresStore } from './postgres-store.js';

const url = process.env.DATABASE_URL;
// One fresh schema per test file, so runs in parallel and leftovers never meet.
const schema = `test_${randomBytes(6).toString('hex')}`;

describe.skipIf(!url)('PostgreSQL store (set DATABASE_URL to run)', () => {
  const databaseUrl = url ?? '';

  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  runConversationStoreContract(`PostgreSQL store in schema ${schema}`, async () => {
    const { store } = await openPostgresStore(databaseUrl, { schema });
    return { store, close: () => store.close() };
  });

  runConsoleStoreContract(`PostgreSQL console store in schema ${schema}`, async () => {
    const { store } = await openPostgresStore(databaseUrl, { schema });
    return { store, close: () => store.close() };
  });

  it('keeps its tables in the given schema', async () => {
    const { store, db } = await openPostgresStore(databaseUrl, { schema });
    try {
      await store.migrate();
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = ${schema}`.execute(db);
      expect(rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['conversations', 'dedupe_keys', 'handoffs', 'messages']),
      );
    } finally {
      await store.close();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore(databaseUrl, { schema: 'x"; drop table y; --' })).rejects.toMatchObject({
      code: 'store_schema_invalid',
    });
  });
});
