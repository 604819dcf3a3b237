import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { useMemoryStore } from '../../test/support/memory-store.js';
import { startDedupePruning } from './dedupe-pruning.js';
import type { KyselyConversationStore } from './kysely-conversation-store.js';

let store: KyselyConversationStore;
useMemoryStore((ready) => (store = ready));

const DAY = 86_400_000;
const now = new Date('2026-12-04T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

describe('dedupe key pruning', () => {
  it('deletes the claims older than the retention and keeps the recent ones', async () => {
    await store.claimOnce('wechat:msg:old', daysAgo(8));
    await store.claimOnce('teams:activity:old', daysAgo(30));
    await store.claimOnce('wechat:msg:recent', daysAgo(1));
    const pruning = startDedupePruning({ store, retentionMs: 7 * DAY, clock: () => now, logger: createLogger({ level: 'error', format: 'json' }), everyMs: 3_600_000 });
    try {
      expect(await pruning.runOnce()).toBe(2);
      expect(await store.claimOnce('wechat:msg:old', now.toISOString())).toBe(true);
      expect(await store.claimOnce('wechat:msg:recent', now.toISOString())).toBe(false);
      expect(await pruning.runOnce()).toBe(0);
    } finally {
      pruning.stop();
    }
  });

  it('runs once by itself right after start', async () => {
    await store.claimOnce('wechat:msg:old', daysAgo(8));
    const pruning = startDedupePruning({ store, retentionMs: 7 * DAY, clock: () => now, logger: createLogger({ level: 'error', format: 'json' }) });
    try {
      await expect.poll(() => store.claimOnce('wechat:msg:old', now.toISOString()), { timeout: 2000 }).toBe(true);
    } finally {
      pruning.stop();
    }
  });
});
