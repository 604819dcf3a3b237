/**
 * @module The speed benchmark: publish a generated KB, then load our server and a bare Express
 * route, each in its own process, from this process at several concurrencies.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { withCpuProfile } from '../lib/in-process-profile.js';
import { openConversations, roundRobin } from './conversation-pool.js';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile.js';
import { runLoad, type LoadResult, type NextRequest } from './load.js';
import { memorySampler, processCpuSeconds } from './process-memory.js';
import { timePublish, type PublishTiming } from './publish-timing.js';
import type { MemoryReport } from './server-child.js';
import { buildServers, productionNodeFlags, startBareExpress, startOurServer, type ServerChild, type ServerRuntime } from './servers.js';
import { writeSyntheticKb } from './synthetic-kb.js';

/** What to run. */
export interface SpeedOptions {
  entries: number;
  concurrencies: number[];
  durationSeconds: number;
  /** Load before measuring each server, to let the JIT settle (not reported). */
  warmupSeconds: number;
  /** Conversations the load is spread over. */
  poolSize: number;
  /** Compiled JavaScript as in production, or the TypeScript sources through tsx. */
  runtime: ServerRuntime;
  /** Extra Node flags for our server (e.g. GC settings); the production defaults apply otherwise. */
  serverNodeFlags?: string[];
  /** Publish only: no servers, no load. */
  publishOnly?: boolean;
  /** After the measured runs, profile our server under load at this concurrency. */
  profileConcurrency?: number;
  /** Profile the two publishes (in this process). */
  profilePublish?: boolean;
  /** Keep the server's `.cpuprofile` here (for Chrome DevTools), not only its summary. */
  keepProfile?: string;
}

/** Everything the speed benchmark measured. */
export interface SpeedResult {
  options: SpeedOptions;
  publish: PublishTiming;
  ours?: {
    runs: LoadResult[];
    /** Peak resident memory (VmHWM) of the server process up to the end of the measured runs. */
    peakRssMiB: number;
    startupPeakRssMiB: number;
    memoryAtStart: MemoryReport;
    memoryAtEnd: MemoryReport;
    /** After a full garbage collection at the end: what the server really holds. */
    memoryRetained: MemoryReport;
    handoffsDuringRun: number;
    /** The Node flags production starts the service with (from `start:prod`), which it ran with too. */
    productionNodeFlags: string[];
  };
  bareExpress?: { runs: LoadResult[] };
  profile?: ProfileSummary;
  publishProfile?: ProfileSummary;
}

async function loadServer(server: ServerChild, next: NextRequest, options: SpeedOptions): Promise<LoadResult[]> {
  if (options.warmupSeconds > 0) await runLoad(server.url, next, Math.max(...options.concurrencies), options.warmupSeconds);
  const runs: LoadResult[] = [];
  for (const connections of options.concurrencies) {
    const cpuBefore = processCpuSeconds(server.pid);
    const run = await runLoad(server.url, next, connections, options.durationSeconds);
    const cpuAfter = processCpuSeconds(server.pid);
    runs.push(cpuBefore !== undefined && cpuAfter !== undefined && run.requests > 0 ? { ...run, serverCpuMsPerRequest: ((cpuAfter - cpuBefore) * 1000) / run.requests } : run);
  }
  return runs;
}

async function waitingHandoffs(server: ServerChild): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/handoffs?status=waiting`, { headers: { authorization: `Bearer ${server.agentToken}` } });
  if (!response.ok) return Number.NaN;
  const body = (await response.json()) as { handoffs?: unknown[] };
  return body.handoffs?.length ?? Number.NaN;
}

async function measureOurs(server: ServerChild, next: (pool: string[]) => NextRequest, options: SpeedOptions, profileFile: string) {
  const startupPeakRssMiB = memorySampler(server.pid).stop().peakRssMiB;
  const memoryAtStart = await server.ask<MemoryReport>({ type: 'memory' });
  const sampler = memorySampler(server.pid);
  const pool = await openConversations(server.url, options.poolSize);
  const runs = await loadServer(server, next(pool), options);
  const { peakRssMiB } = sampler.stop();
  const memoryAtEnd = await server.ask<MemoryReport>({ type: 'memory' });
  const memoryRetained = await server.ask<MemoryReport>({ type: 'memory', gc: true });
  const ours = { runs, peakRssMiB, startupPeakRssMiB, memoryAtStart, memoryAtEnd, memoryRetained, handoffsDuringRun: await waitingHandoffs(server), productionNodeFlags: productionNodeFlags() };
  if (options.profileConcurrency === undefined) return { ours };
  await server.ask({ type: 'profile-start' });
  await runLoad(server.url, next(pool), options.profileConcurrency, options.durationSeconds);
  await server.ask({ type: 'profile-stop', file: profileFile });
  if (options.keepProfile) copyFileSync(profileFile, options.keepProfile);
  return { ours, profile: summarizeCpuProfile(profileFile, process.cwd()) };
}

/** Runs the benchmark in a temporary folder (removed afterwards). */
export async function runSpeedBench(options: SpeedOptions): Promise<SpeedResult> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-'));
  const knowledgeDir = path.join(workDir, 'knowledge');
  const dataDir = path.join(workDir, 'data');
  try {
    const questions = writeSyntheticKb(knowledgeDir, options.entries);
    const publishProfileFile = path.join(workDir, 'publish.cpuprofile');
    const publish = options.profilePublish ? await withCpuProfile(publishProfileFile, () => timePublish(knowledgeDir, dataDir)) : await timePublish(knowledgeDir, dataDir);
    const publishProfile = options.profilePublish ? { publishProfile: summarizeCpuProfile(publishProfileFile, process.cwd()) } : {};
    if (options.publishOnly) return { options, publish, ...publishProfile };

    if (options.runtime === 'node') buildServers();
    const ourServer = await startOurServer({ dataDir, knowledgeDir, runtime: options.runtime, nodeFlags: options.serverNodeFlags ?? [] });
    let measured: Awaited<ReturnType<typeof measureOurs>>;
    try {
      measured = await measureOurs(ourServer, (pool) => roundRobin(pool, questions), options, path.join(workDir, 'server.cpuprofile'));
    } finally {
      await ourServer.stop();
    }
    const bare = await startBareExpress(options.runtime);
    let bareExpress: SpeedResult['bareExpress'];
    try {
      bareExpress = { runs: await loadServer(bare, roundRobin(['x'], questions), options) };
    } finally {
      await bare.stop();
    }
    return { options, publish, ours: measured.ours, bareExpress, ...(measured.profile ? { profile: measured.profile } : {}), ...publishProfile };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
