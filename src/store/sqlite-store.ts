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
import { Kysely, SqliteDialect, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import {
  KyselyConversationStore,
  type KyselyConversationStoreOptions,
  type OpenedKyselyStore,
} from './kysely-conversation-store.js';
import type { Database } from './schema.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

export type SqliteSynchronous = 'normal' | 'full';

export interface SqliteOptions extends KyselyConversationStoreOptions {
  /**
   * `normal` (default): in WAL mode a commit is safe from a crash of the process, and only a
   * power cut or OS crash can lose the last ones; the file is never corrupted. `full`: an fsync
   * per commit survives those too.
   */
  synchronous?: SqliteSynchronous;
  /**
   * `inline` (default): SQLite's own WAL checkpoints, inside the commit that crosses 1,000 WAL
   * pages. `worker`: in a worker thread (`wal-checkpointer.ts`), which takes those few
   * milliseconds off the event loop for about 10 MiB of memory.
   */
  walCheckpoints?: 'worker' | 'inline';
}

/**
 * Opens (creating it and its folder if needed) the SQLite database at `file`; `':memory:'`
 * gives a private in-memory database, for tests. Does not migrate: call `store.migrate()`.
 */
export function openSqliteStore(file: string, options: SqliteOptions = {}): OpenedKyselyStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets readers run beside the writer; the busy timeout makes a second process wait for
  // the write lock instead of failing at once; SQLite leaves foreign keys off unless asked.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  // Until the worker has the database open (and again if it fails), SQLite checkpoints in a commit as usual.
  const checkpointer = file === ':memory:' || options.walCheckpoints !== 'worker' ? undefined : startWalCheckpointer(file, {
    onReady: () => database.pragma('wal_autocheckpoint = 0'),
    onFailure: () => {
      if (database.open) database.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
    },
  });
  const { synchronous: _synchronous, walCheckpoints: _walCheckpoints, ...storeOptions } = options;
  const cached = withStatementCache(database);
  const closing = {
    ...cached,
    close: () => {
      checkpointer?.stop();
      cached.close();
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: closing }) });
  return { store: new KyselyConversationStore(db, storeOptions), db };
}

/** SQLite's default automatic checkpoint size, restored if the checkpoint worker fails. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/** Statements kept prepared: the store's queries are a few dozen shapes, each with its own SQL text. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; preparing costs about as much as running one of ours, so
 * statements are kept per SQL text (least recently used dropped first). A statement still
 * being iterated is busy and cannot run twice, so that case gets a fresh one.
 */
export function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (cached) return statement;
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
