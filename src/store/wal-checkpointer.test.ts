import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';
import { aConversation } from './store-fixtures.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

const folder = mkdtempSync(join(tmpdir(), 'kefu-wal-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('WAL checkpoints in a worker', () => {
  it('takes checkpoints out of commits: the database file grows while commits only append to the WAL', async () => {
    const file = join(folder, 'busy', 'kefu.sqlite');
    const { store, db } = openSqliteStore(file, { walCheckpoints: 'worker' });
    await store.migrate();
    const autocheckpoint = async () => Object.values((await sql<Record<string, number>>`pragma wal_autocheckpoint`.execute(db)).rows[0] ?? {})[0];
    await until(async () => (await autocheckpoint()) === 0);
    const before = statSync(file).size;
    const conversation = aConversation({ id: 'wal' });
    await store.createConversation(conversation);
    for (let index = 0; index < 300; index += 1) {
      await store.appendMessage({ conversationId: 'wal', role: 'customer', text: `第 ${index} 条消息 ${'x'.repeat(400)}`, channel: 'web', citations: [], at: conversation.createdAt });
    }
    // With SQLite's own checkpoints off, only the worker moves pages into the database file.
    await until(() => statSync(file).size > before);
    expect((await store.listMessages('wal')).length).toBe(300);
    await store.close();
    // The worker closed its connection first, so this one was the last and removed the WAL.
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('reports a database it cannot checkpoint, so SQLite checkpoints in commits again', async () => {
    const notADatabase = join(folder, 'a-folder');
    mkdirSync(notADatabase);
    const failure = await new Promise<Error>((resolve) => {
      startWalCheckpointer(notADatabase, { onReady: () => undefined, onFailure: resolve });
    });
    expect(failure.message).toMatch(/directory|unable to open|not a database/i);
  });
});
