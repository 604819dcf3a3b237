/**
 * The production store: PostgreSQL through a `pg.Pool`, shared by every app instance.
 *
 * @example
 * const { store } = await openPostgresStore(process.env.DATABASE_URL!);
 * await store.migrate();
 *
 * @module
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import {
  KyselyConversationStore,
  type KyselyConversationStoreOptions,
  type OpenedKyselyStore,
} from './kysely-conversation-store.js';
import type { Database } from './schema.js';
import { StoreError } from './store-errors.js';

// Lower case only: the schema is quoted when created but folded when read from search_path.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Options for `openPostgresStore`. */
export interface PostgresStoreOptions extends KyselyConversationStoreOptions {
  /**
   * Schema holding the tables, created if missing and put on every pooled connection's
   * `search_path`. Default: the server's `search_path` (normally `public`). Lower-case
   * letters, digits and `_`.
   */
  schema?: string;
  /** Most connections the pool opens. Default: 10. */
  maxConnections?: number;
  /** Receives errors of idle pooled connections (the pool replaces them). Default: a process warning. */
  onError?: (error: Error) => void;
}

/** Opens a pool on `connectionString`, creating `options.schema` if given. Does not migrate. */
export async function openPostgresStore(
  connectionString: string,
  options: PostgresStoreOptions = {},
): Promise<OpenedKyselyStore & { pool: pg.Pool }> {
  const { schema, onError = reportIdleError } = options;
  if (schema !== undefined) {
    assertSchemaName(schema);
    await createSchema(connectionString, schema);
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    // A startup option applies to every connection before its first query, with no race.
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  });
  // Without a listener an idle connection dropped by the server would crash the process.
  pool.on('error', onError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const storeOptions: KyselyConversationStoreOptions = options.newId === undefined ? {} : { newId: options.newId };
  return { store: new KyselyConversationStore(db, storeOptions), db, pool };
}

/** Throws unless `schema` is a plain lower-case identifier safe to put in SQL and options. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError('store_schema_invalid', `Invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  }
}

async function createSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    // Two instances creating the same schema at once: the loser sees a duplicate, which is fine.
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  } finally {
    await client.end();
  }
}

function reportIdleError(error: Error): void {
  process.emitWarning(`PostgreSQL pool connection error: ${error.message}`);
}
