/**
 * The embedded store: one SQLite file through better-sqlite3.
 *
 * @example
 * const { store } = openSqliteStore('data/kefu.sqlite');
 * await store.migrate();
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import {
  KyselyConversationStore,
  type KyselyConversationStoreOptions,
  type OpenedKyselyStore,
} from './kysely-conversation-store.js';
import type { Database } from './schema.js';

/**
 * Opens (creating it and its folder if needed) the SQLite database at `file`; `':memory:'`
 * gives a private in-memory database, for tests. Does not migrate: call `store.migrate()`.
 */
export function openSqliteStore(file: string, options: KyselyConversationStoreOptions = {}): OpenedKyselyStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets readers run beside the writer; the busy timeout makes a second process wait for
  // the write lock instead of failing at once; SQLite leaves foreign keys off unless asked.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return { store: new KyselyConversationStore(db, options), db };
}
