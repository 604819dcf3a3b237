/**
 * Keeps `dedupe_keys` from growing without end. Its claims guard against repeats that come
 * within seconds or minutes (a channel's retry of one message, racing instances, a sweep's second
 * look at one handoff); a claim days old guards nothing, since by then the work it marked is done
 * and its event long gone.
 *
 * @module
 */
import type { Logger } from '../logger.js';
import type { ConversationStore } from './conversation-store.js';

/** How often old claims are deleted: an indexless delete, so not on every sweep. */
export const PRUNE_INTERVAL_MS = 3_600_000;

export interface DedupePruning {
  /** Deletes the claims older than the retention now; returns how many. */
  runOnce(): Promise<number>;
  stop(): void;
}

/** Prunes claims older than `retentionMs` once at start and then every `everyMs`. */
export function startDedupePruning(deps: {
  store: Pick<ConversationStore, 'pruneDedupeKeys'>;
  retentionMs: number;
  clock: () => Date;
  logger: Logger;
  everyMs?: number;
}): DedupePruning {
  const runOnce = async () => {
    const before = new Date(deps.clock().getTime() - deps.retentionMs).toISOString();
    const pruned = await deps.store.pruneDedupeKeys(before);
    if (pruned > 0) deps.logger.info('pruned old dedupe keys', { pruned, before });
    return pruned;
  };
  const run = () => {
    runOnce().catch((error: unknown) => deps.logger.warn('dedupe key pruning failed', { error: (error as Error).message }));
  };
  const first = setTimeout(run, 0);
  const timer = setInterval(run, deps.everyMs ?? PRUNE_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    runOnce,
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
