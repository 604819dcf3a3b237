import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { runConsoleStoreContract } from './console-store.contract.js';
import { runConversationStoreContract } from './conversation-store.contract.js';
import { openSqliteStore, withStatementCache } from './sqlite-store.js';
import { aConversation } from './store-fixtures.js';

const folder = mkdtempSync(join(tmpdir(), 'kefu-store-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

runConversationStoreContract('SQLite store', () => {
  const { store } = openSqliteStore(join(folder, 'contract', 'kefu.sqlite'));
  return Promise.resolve({ store, close: () => store.close() });
});

runConsoleStoreContract('SQLite console store', () => {
  const { store } = openSqliteStore(join(folder, 'console', 'kefu.sqlite'));
  return Promise.resolve({ store, close: () => store.close() });
});

describe('SQLite store', () => {
  const pragma = async (db: ReturnType<typeof openSqliteStore>['db'], name: string): Promise<unknown> => {
    const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
    return Object.values(rows[0] ?? {})[0];
  };

  it('creates the parent folder and turns on WAL, a busy timeout, foreign keys and synchronous=NORMAL', async () => {
    const file = join(folder, 'nested', 'deeper', 'kefu.sqlite');
    const { store, db } = openSqliteStore(file);
    try {
      expect(existsSync(file)).toBe(true);
      expect(await pragma(db, 'journal_mode')).toBe('wal');
      expect(await pragma(db, 'busy_timeout')).toBe(5000);
      expect(await pragma(db, 'foreign_keys')).toBe(1);
      expect(await pragma(db, 'synchronous')).toBe(1); // NORMAL
    } finally {
      await store.close();
    }
  });

  it('fsyncs every commit when asked for synchronous=FULL', async () => {
    const { store, db } = openSqliteStore(join(folder, 'full', 'kefu.sqlite'), { synchronous: 'full' });
    try {
      expect(await pragma(db, 'synchronous')).toBe(2); // FULL
    } finally {
      await store.close();
    }
  });

  it('opens an in-memory database', async () => {
    const { store } = openSqliteStore(':memory:');
    await store.migrate();
    const conversation = aConversation();
    await store.createConversation(conversation);
    expect(await store.getConversation(conversation.id)).toEqual(conversation);
    await store.close();
  });

  it('rejects a row whose JSON does not fit, naming the table, row and field', async () => {
    const { store, db } = openSqliteStore(':memory:');
    await store.migrate();
    const conversation = aConversation({ id: 'bad-row' });
    await store.createConversation(conversation);
    await db.updateTable('conversations').set({ customer: '{"tags":"vip"}' }).where('id', '=', 'bad-row').execute();
    await expect(store.getConversation('bad-row')).rejects.toThrow(/conversations row "bad-row": customer\.tags/);
    await db.updateTable('conversations').set({ customer: 'not json' }).where('id', '=', 'bad-row').execute();
    await expect(store.getConversation('bad-row')).rejects.toMatchObject({ code: 'store_row_invalid' });
    await store.close();
  });
});

describe('the prepared-statement cache', () => {
  it('prepares each SQL text once, and gives a statement still being iterated a fresh twin', () => {
    const database = new SqliteDatabase(':memory:');
    database.exec('create table t (n integer); insert into t values (1), (2)');
    const cached = withStatementCache(database);
    const first = cached.prepare('select n from t');
    expect(cached.prepare('select n from t')).toBe(first);
    const rows = first.iterate([]);
    rows.next(); // `first` is now busy until the iteration ends
    const twin = cached.prepare('select n from t');
    expect(twin).not.toBe(first);
    expect(twin.all([])).toEqual([{ n: 1 }, { n: 2 }]);
    rows.return?.();
    expect(cached.prepare('select n from t')).toBe(first);
    cached.close();
  });
});
