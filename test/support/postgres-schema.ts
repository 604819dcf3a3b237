import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

async function run(connectionString: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * For a describe block that runs app instances on PostgreSQL: a schema of its own (so parallel
 * runs and leftovers never meet), created before the block's tests and dropped after them — after
 * the block's own `afterAll`s, which vitest runs first. `databaseUrl()` is `base` with every
 * connection's search_path set to it. Call it before the block starts its instances.
 */
export function usePostgresSchema(prefix: string, base = process.env.DATABASE_URL ?? ''): { schema: string; databaseUrl(): string } {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  beforeAll(() => run(base, `create schema "${schema}"`));
  afterAll(() => run(base, `drop schema if exists "${schema}" cascade`));
  return {
    schema,
    databaseUrl() {
      const parsed = new URL(base);
      parsed.searchParams.set('options', `-c search_path=${schema}`);
      return parsed.toString();
    },
  };
}
