import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productionNodeFlags } from './servers.js';

const flagsOf = (words: string[]) => words.filter((word) => word.startsWith('--') && !word.startsWith('--import'));

describe('the Node flags production runs with', () => {
  it('are the same for start:prod (which the benchmark uses), npm start and the Docker image', () => {
    const flags = productionNodeFlags();
    expect(flags.length).toBeGreaterThan(0);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(flagsOf((scripts.start ?? '').split(/\s+/u))).toEqual(flags);
    const cmd = /^CMD (\[.*\])$/mu.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
    expect(flagsOf(JSON.parse(cmd ?? '[]') as string[])).toEqual(flags);
  });

  it('cap the young generation at 16 MiB (V8 gives it 32 on a 64-bit machine otherwise)', () => {
    const script = `const v8 = require('node:v8'); const junk = []; for (let i = 0; i < 1e6; i++) junk.push({ i });
      process.stdout.write(String(v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size));`;
    const run = spawnSync(process.execPath, [...productionNodeFlags(), '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(Number(run.stdout)).toBeLessThanOrEqual(16 * 2 ** 20);
  });
});
