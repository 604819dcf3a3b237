/**
 * Picks the store and event bus from config: PostgreSQL and LISTEN/NOTIFY when a database URL
 * is set, otherwise a SQLite file in the data folder and in-process events.
 *
 * @example
 * const { store, events, close } = await openStore({ databaseUrl: config.databaseUrl, dataDir: 'data' });
 *
 * @module
 */
import { join } from 'node:path';
import type { ConversationStore } from './conversation-store.js';
import type { EventBus } from './event-bus.js';
import type { KyselyConversationStoreOptions } from './kysely-conversation-store.js';
import { MemoryEventBus } from './memory-event-bus.js';
import { openSqliteStore, type SqliteSynchronous } from './sqlite-store.js';

/** Options for `openStore`. */
export interface OpenStoreOptions extends KyselyConversationStoreOptions {
  /** PostgreSQL connection string (`DATABASE_URL`); when absent the embedded SQLite store is used. */
  databaseUrl?: string | undefined;
  /** Folder for the SQLite file `kefu.sqlite`; created if missing. */
  dataDir: string;
  /** SQLite's durability on a power cut; see `SqliteOptions.synchronous`. */
  sqliteSynchronous?: SqliteSynchronous | undefined;
  /** Where SQLite's WAL checkpoints run; see `SqliteOptions.walCheckpoints`. */
  sqliteWalCheckpoints?: 'inline' | 'worker' | undefined;
  /**
   * PostgreSQL schema for the tables, created if missing; events then use the channel
   * `kefu_events_<schema>` so instances on different schemas do not hear each other.
   * Default: the server's `search_path` and the channel `kefu_events`.
   */
  schema?: string | undefined;
  /** Receives event-bus and pool connection errors. Default: a process warning. */
  onError?: (error: unknown) => void;
}

/** A migrated store with its event bus. */
export interface OpenedStore {
  store: ConversationStore;
  events: EventBus;
  dialect: 'sqlite' | 'postgres';
  /** Closes the event bus, then the store. */
  close(): Promise<void>;
}

/** Opens the configured engine, runs `migrate()` and returns the matching event bus. */
export async function openStore(options: OpenStoreOptions): Promise<OpenedStore> {
  const storeOptions: KyselyConversationStoreOptions = options.newId === undefined ? {} : { newId: options.newId };
  const onError = options.onError;

  if (options.databaseUrl === undefined || options.databaseUrl === '') {
    const { store } = openSqliteStore(join(options.dataDir, 'kefu.sqlite'), {
      ...storeOptions,
      ...(options.sqliteSynchronous ? { synchronous: options.sqliteSynchronous } : {}),
      ...(options.sqliteWalCheckpoints ? { walCheckpoints: options.sqliteWalCheckpoints } : {}),
    });
    const events = new MemoryEventBus();
    return migrated({ store, events, dialect: 'sqlite' });
  }

  // Loaded only when configured, so the embedded default does not carry the PostgreSQL client.
  const [{ openPostgresStore }, { PostgresEventBus }] = await Promise.all([import('./postgres-store.js'), import('./postgres-event-bus.js')]);
  const { store } = await openPostgresStore(options.databaseUrl, {
    ...storeOptions,
    ...(options.schema !== undefined && { schema: options.schema }),
    ...(onError !== undefined && { onError }),
  });
  try {
    await store.migrate();
    const events = await PostgresEventBus.connect({
      connectionString: options.databaseUrl,
      channel: options.schema === undefined ? 'kefu_events' : `kefu_events_${options.schema}`,
      ...(onError !== undefined && { onError }),
    });
    return withClose({ store, events, dialect: 'postgres' });
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function migrated(opened: Omit<OpenedStore, 'close'>): Promise<OpenedStore> {
  try {
    await opened.store.migrate();
  } catch (error) {
    await opened.store.close();
    throw error;
  }
  return withClose(opened);
}

function withClose(opened: Omit<OpenedStore, 'close'>): OpenedStore {
  return {
    ...opened,
    async close() {
      await opened.events.close();
      await opened.store.close();
    },
  };
}
