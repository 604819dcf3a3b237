/**
 * @module Load generation with autocannon: a fixed number of connections for a fixed time, each
 * request to the next conversation of a pool with the next question, and every response time
 * kept so the percentiles are exact.
 */
import autocannon from 'autocannon';

/** What one load run measured. */
export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Connection errors, timeouts and non-2xx answers together. */
  errors: number;
  errorKinds: { connection: number; timeouts: number; non2xx: number };
  statusCodes: Record<string, number>;
  /** The server's CPU time (user + system) over the run divided by its requests, in ms. */
  serverCpuMsPerRequest?: number;
}

/** The next request to send: its path and JSON body. */
export type NextRequest = () => { path: string; body: string };

/** The `p`-th percentile (0..100) of sorted values, nearest rank. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** Runs `connections` keep-alive connections against `url` for `durationSeconds`. */
export async function runLoad(url: string, next: NextRequest, connections: number, durationSeconds: number): Promise<LoadResult> {
  const times: number[] = [];
  const instance = autocannon({
    url,
    connections,
    duration: durationSeconds,
    timeout: 10,
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (request) => ({ ...request, ...next() }) }],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]));
  return {
    connections,
    durationSeconds: result.duration,
    requests: times.length,
    requestsPerSecond: times.length / result.duration,
    p50Ms: percentile(times, 50),
    p95Ms: percentile(times, 95),
    p99Ms: percentile(times, 99),
    maxMs: times.at(-1) ?? 0,
    // autocannon counts a timeout as an error too.
    errors: result.errors + result.non2xx,
    errorKinds: { connection: result.errors - result.timeouts, timeouts: result.timeouts, non2xx: result.non2xx },
    statusCodes,
  };
}
