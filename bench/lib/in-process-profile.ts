import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Runs `task` under V8's CPU profiler (what `node --cpu-prof` uses) and writes the `.cpuprofile` to `file`. */
export async function withCpuProfile<T>(file: string, task: () => Promise<T>): Promise<T> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await task();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
