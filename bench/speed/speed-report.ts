import { duration, markdownTable } from '../lib/table.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { LoadResult } from './load.js';
import type { SpeedResult } from './speed-bench.js';

/** The goals from the issue; a check is met when the measured value is on the right side. */
export const SPEED_TARGETS = {
  p95MsAtConcurrency16: 15,
  throughputShareOfBare: 0.4,
  peakRssMiB: 300,
  errors: 0,
  publishMs: 10_000,
  unchangedPublishMs: 2_000,
} as const;

/** One target check. */
export interface TargetCheck {
  check: string;
  target: string;
  measured: string;
  met: boolean;
}

const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);

/** Our throughput as a share of bare Express at the same concurrency. */
export function throughputShare(result: SpeedResult, connections: number): number | undefined {
  const ours = result.ours?.runs.find((run) => run.connections === connections);
  const bare = result.bareExpress?.runs.find((run) => run.connections === connections);
  return ours && bare && bare.requestsPerSecond > 0 ? ours.requestsPerSecond / bare.requestsPerSecond : undefined;
}

/** The target checks that this run can answer. */
export function targetChecks(result: SpeedResult): TargetCheck[] {
  const checks: TargetCheck[] = [
    { check: `publish ${result.publish.entries} entries`, target: `< ${duration(SPEED_TARGETS.publishMs)}`, measured: duration(result.publish.firstMs), met: result.publish.firstMs < SPEED_TARGETS.publishMs },
    { check: 'unchanged re-publish', target: `< ${duration(SPEED_TARGETS.unchangedPublishMs)}`, measured: `${duration(result.publish.unchangedMs)} (${result.publish.unchangedStatus})`, met: result.publish.unchangedMs < SPEED_TARGETS.unchangedPublishMs && result.publish.unchangedStatus === 'unchanged' },
  ];
  if (!result.ours) return checks;
  const at16 = result.ours.runs.find((run) => run.connections === 16);
  if (at16) checks.push({ check: 'p95 at 16 connections', target: `≤ ${SPEED_TARGETS.p95MsAtConcurrency16} ms`, measured: `${ms(at16.p95Ms)} ms`, met: at16.p95Ms <= SPEED_TARGETS.p95MsAtConcurrency16 });
  for (const run of result.ours.runs) {
    const share = throughputShare(result, run.connections);
    if (share !== undefined) checks.push({ check: `throughput vs bare Express, ${run.connections} conn.`, target: `≥ ${SPEED_TARGETS.throughputShareOfBare * 100}%`, measured: `${(share * 100).toFixed(1)}%`, met: share >= SPEED_TARGETS.throughputShareOfBare });
  }
  checks.push({ check: 'server peak RSS', target: `≤ ${SPEED_TARGETS.peakRssMiB} MiB`, measured: `${result.ours.peakRssMiB.toFixed(0)} MiB`, met: result.ours.peakRssMiB <= SPEED_TARGETS.peakRssMiB });
  const errors = result.ours.runs.reduce((sum, run) => sum + run.errors, 0);
  checks.push({ check: 'errors', target: `${SPEED_TARGETS.errors}`, measured: `${errors}`, met: errors === SPEED_TARGETS.errors });
  return checks;
}

function loadRow(server: string, run: LoadResult, share: number | undefined): string[] {
  const cpu = run.serverCpuMsPerRequest === undefined ? '–' : run.serverCpuMsPerRequest.toFixed(3);
  return [server, String(run.connections), run.requestsPerSecond.toFixed(0), ms(run.p50Ms), ms(run.p95Ms), ms(run.p99Ms), String(run.errors), cpu, share === undefined ? '–' : `${(share * 100).toFixed(1)}%`];
}

/** The printed report: load table, target checks, publish times and memory. */
export function speedReport(result: SpeedResult): string {
  const parts: string[] = [];
  if (result.ours && result.bareExpress) {
    const rows = [
      ...result.ours.runs.map((run) => loadRow('ours: POST …/messages', run, throughputShare(result, run.connections))),
      ...result.bareExpress.runs.map((run) => loadRow('bare Express, fixed JSON', run, undefined)),
    ];
    parts.push(markdownTable(['server', 'conn.', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'server CPU ms/req', 'ours / bare'], rows));
    const peak = result.ours.memoryAtEnd.atPeak;
    const flags = result.ours.productionNodeFlags.join(' ');
    const runtime = result.options.runtime === 'node' ? `servers compiled as in production (node ${flags} dist/…)` : `servers run from TypeScript sources through tsx (as \`npm start\`, ${flags})`;
    parts.push(`${runtime[0]?.toUpperCase() ?? ''}${runtime.slice(1)}. Each run ${result.options.durationSeconds} s after a ${result.options.warmupSeconds} s warm-up; ${result.options.poolSize} conversations in the pool; ${result.options.entries}-entry generated KB. ` +
      `Server peak RSS ${result.ours.peakRssMiB.toFixed(0)} MiB (after start-up ${result.ours.startupPeakRssMiB.toFixed(0)} MiB; at the end heap ${result.ours.memoryAtEnd.heapUsedMiB} of ` +
      `${result.ours.memoryAtEnd.heapTotalMiB} MiB, ${result.ours.memoryRetained.heapUsedMiB} MiB after a full GC, external ${result.ours.memoryAtEnd.externalMiB} MiB; ` +
      `its highest sample ${peak.rssMiB} MiB RSS held heap ${peak.heapTotalMiB} MiB and external ${peak.externalMiB} MiB); ` +
      `conversations handed off during the run: ${result.ours.handoffsDuringRun}.`);
    const failed = result.ours.runs.filter((run) => run.errors > 0).map((run) => `${run.connections} conn.: ${run.errorKinds.timeouts} timeouts (no answer in 10 s), ${run.errorKinds.non2xx} non-2xx, ${run.errorKinds.connection} other connection errors`);
    if (failed.length > 0) parts.push(`Errors of ours: ${failed.join('; ')}.`);
  }
  parts.push(markdownTable(['check', 'target', 'measured', 'met'], targetChecks(result).map((check) => [check.check, check.target, check.measured, check.met ? 'yes' : 'NO'])));
  if (result.profile) {
    parts.push(`CPU profile of our server over ${result.options.durationSeconds} s of load at ${result.options.profileConcurrency ?? ''} connections (V8 profiler, ${result.profile.busySamples} busy samples):`);
    parts.push(...profileTables(result.profile));
  }
  if (result.publishProfile) {
    parts.push(`CPU profile of the two publishes (V8 profiler, ${result.publishProfile.busySamples} busy samples):`);
    parts.push(...profileTables(result.publishProfile));
  }
  return parts.join('\n\n');
}

function profileTables(profile: ProfileSummary): string[] {
  const share = (value: number) => `${(value * 100).toFixed(1)}%`;
  return [
    markdownTable(['function', 'self'], profile.selfByFunction.map((row) => [row.name, share(row.share)])),
    markdownTable(['our function (src/)', 'inclusive'], profile.inclusiveOurs.map((row) => [row.name, share(row.share)])),
    markdownTable(['area', 'inclusive'], profile.inclusiveByArea.map((row) => [row.name, share(row.share)])),
  ];
}
