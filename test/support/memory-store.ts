import { afterEach, beforeEach } from 'vitest';
import type { KyselyConversationStore } from '../../src/store/kysely-conversation-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

/** For a test file: a fresh, migrated in-memory SQLite store per test (`ready` receives it), closed after. */
export function useMemoryStore(ready: (store: KyselyConversationStore) => void): void {
  let store: KyselyConversationStore | undefined;
  beforeEach(async () => {
    store = openSqliteStore(':memory:').store;
    await store.migrate();
    ready(store);
  });
  afterEach(async () => {
    await store?.close();
  });
}
