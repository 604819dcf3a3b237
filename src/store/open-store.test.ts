import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { StoreEvent } from './event-bus.js';
import { openStore } from './open-store.js';
import { aConversation } from './store-fixtures.js';

const event: StoreEvent = { type: 'conversation-updated', conversationId: 'c1', status: 'queued' };

describe('openStore without a database URL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-open-store-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens a migrated SQLite file in the data folder with in-process events', async () => {
    const opened = await openStore({ databaseUrl: undefined, dataDir });
    try {
      expect(opened.dialect).toBe('sqlite');
      expect(existsSync(join(dataDir, 'kefu.sqlite'))).toBe(true);
      const conversation = aConversation();
      await opened.store.createConversation(conversation);
      expect(await opened.store.getConversation(conversation.id)).toEqual(conversation);
      const listener = vi.fn();
      opened.events.subscribe(listener);
      await opened.events.publish(event);
      expect(listener).toHaveBeenCalledWith(event);
    } finally {
      await opened.close();
    }
  });
});

const url = process.env.DATABASE_URL;
const schema = `test_${randomBytes(6).toString('hex')}`;

describe.skipIf(!url)('openStore with a PostgreSQL URL (set DATABASE_URL to run)', () => {
  const databaseUrl = url ?? '';

  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  });

  it('opens a migrated PostgreSQL store whose events go through the database', async () => {
    const opened = await openStore({ databaseUrl, dataDir: '/nonexistent', schema });
    try {
      expect(opened.dialect).toBe('postgres');
      await opened.store.ping();
      const conversation = aConversation();
      await opened.store.createConversation(conversation);
      expect(await opened.store.getConversation(conversation.id)).toEqual(conversation);
      const listener = vi.fn();
      opened.events.subscribe(listener);
      await opened.events.publish(event);
      await vi.waitFor(() => expect(listener).toHaveBeenCalledWith(event));
    } finally {
      await opened.close();
    }
  });
});
