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
