/**
 * An honest wait estimate: how long recent conversations took to handle, divided among the
 * agents online now. Without enough history or nobody online there is no estimate, and the
 * customer sees only their place in the queue.
 *
 * @module
 */

/** Fewest resolved conversations an average is built from. */
export const MIN_SAMPLES = 3;

/** Mean of accepted→resolved durations in ms, or undefined with fewer than `MIN_SAMPLES`. */
export function averageHandleMs(handled: Array<{ acceptedAt?: string; resolvedAt?: string }>): number | undefined {
  const durations = handled
    .filter((item) => item.acceptedAt !== undefined && item.resolvedAt !== undefined)
    .map((item) => Date.parse(item.resolvedAt as string) - Date.parse(item.acceptedAt as string))
    .filter((ms) => Number.isFinite(ms) && ms >= 0);
  if (durations.length < MIN_SAMPLES) return undefined;
  return durations.reduce((sum, ms) => sum + ms, 0) / durations.length;
}

/**
 * Minutes until a customer at `position` (1 = next) is likely served: each online agent frees
 * a slot about once per average handle time. Rounded up, at least 1.
 */
export function estimateWaitMinutes(input: { position: number; averageHandleMs: number | undefined; agentsOnline: number }): number | undefined {
  const { position, averageHandleMs: average, agentsOnline } = input;
  if (average === undefined || agentsOnline <= 0 || position <= 0) return undefined;
  const rounds = Math.ceil(position / agentsOnline);
  return Math.max(1, Math.ceil((rounds * average) / 60_000));
}
