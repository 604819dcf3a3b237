/**
 * @module The `npm run bench` / `npm run bench:publish` command as a function, so the smoke test
 * runs exactly what the script runs, on a tiny KB.
 */
import path from 'node:path';
import { Command } from 'commander';
import { describeMachine, machineInfo } from './lib/machine.js';
import { DEFAULT_RESULTS_DIR, writeResults } from './lib/results-file.js';
import { runSpeedBench, type SpeedOptions, type SpeedResult } from './speed/speed-bench.js';
import { speedReport, targetChecks } from './speed/speed-report.js';

const list = (value: string) => value.split(',').map((part) => Number(part.trim()));

interface Flags {
  entries: number;
  concurrency: number[];
  duration: number;
  warmup: number;
  pool: number;
  publishOnly?: boolean;
  runtime: string;
  serverNodeFlags: string[];
  profile?: number | true;
  profilePublish?: boolean;
  keepProfile?: string;
  resultsDir: string;
}

/** Parses `argv` (without node and script), runs, prints through `write`, writes the JSON; returns its path. */
export async function benchCommand(argv: string[], write: (text: string) => void): Promise<{ file: string; result: SpeedResult }> {
  const program = new Command('bench')
    .description('Speed of the service: publish time, throughput and latency under load, memory')
    .option('--entries <n>', 'generated KB size', Number, 10_000)
    .option('--concurrency <list>', 'connections per run, comma-separated', list, [1, 16, 64])
    .option('--duration <s>', 'seconds per run', Number, 10)
    .option('--warmup <s>', 'seconds of load before measuring each server', Number, 3)
    .option('--pool <n>', 'conversations the load is spread over', Number, 2000)
    .option('--publish-only', 'only time the publish and the unchanged re-publish')
    .option('--server-node-flags <flags>', 'extra Node flags for our server, space-separated', (value: string) => value.split(/\s+/u).filter(Boolean), [])
    .option('--runtime <node|tsx>', 'servers compiled as in production (node), or from sources as `npm start` (tsx)', 'node')
    .option('--profile [connections]', 'also profile our server under load (V8 CPU profiler; default 16 connections)', Number)
    .option('--profile-publish', 'also profile the two publishes')
    .option('--keep-profile <file>', "with --profile: keep the server's .cpuprofile at <file> (opens in Chrome DevTools)")
    .option('--results-dir <dir>', 'where the JSON goes', DEFAULT_RESULTS_DIR)
    .exitOverride()
    .parse(argv, { from: 'user' });
  const flags = program.opts<Flags>();
  if (flags.runtime !== 'node' && flags.runtime !== 'tsx') throw new Error(`--runtime takes node or tsx, not ${flags.runtime}`);
  const options: SpeedOptions = {
    runtime: flags.runtime,
    serverNodeFlags: flags.serverNodeFlags,
    entries: flags.entries,
    concurrencies: flags.concurrency,
    durationSeconds: flags.duration,
    warmupSeconds: flags.warmup,
    poolSize: flags.pool,
    ...(flags.publishOnly ? { publishOnly: true } : {}),
    ...(flags.profile !== undefined ? { profileConcurrency: flags.profile === true ? 16 : flags.profile } : {}),
    ...(flags.profilePublish ? { profilePublish: true } : {}),
    ...(flags.keepProfile ? { keepProfile: path.resolve(flags.keepProfile) } : {}),
  };
  const machine = machineInfo();
  const result = await runSpeedBench(options);
  write(`${speedReport(result)}\n\nMachine: ${describeMachine(machine)}\n`);
  const file = writeResults(flags.resultsDir, flags.publishOnly ? 'bench-publish' : 'bench', { machine, ...result, targets: targetChecks(result) });
  write(`Results: ${file}\n`);
  return { file, result };
}
