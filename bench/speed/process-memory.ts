import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Resident memory of a process from `/proc/<pid>/status`, in MiB: now and the peak so far. */
export function processMemory(pid: number): { rssMiB: number; peakRssMiB: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'mu').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 };
}

/** Samples a process's memory every `intervalMs` and keeps the highest values seen. */
export function memorySampler(pid: number, intervalMs = 250): { stop(): { rssMiB: number; peakRssMiB: number } } {
  let highest = { rssMiB: 0, peakRssMiB: 0 };
  const sample = () => {
    const now = processMemory(pid);
    if (now) highest = { rssMiB: Math.max(highest.rssMiB, now.rssMiB), peakRssMiB: Math.max(highest.peakRssMiB, now.peakRssMiB) };
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return highest;
    },
  };
}

let clockTicks: number | undefined;

/** Kernel clock ticks per second, the unit of /proc CPU times (100 on every Linux we run on). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/**
 * CPU time (user + system, all threads) a process has used, in seconds, from `/proc/<pid>/stat`.
 * On a shared VM, wall-clock throughput swings with the neighbours; CPU time per request much less.
 */
export function processCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the parenthesised command name, which may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? (user + system) / ticksPerSecond() : undefined;
}
