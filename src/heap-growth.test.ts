import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from './heap-growth.js';

describe('limitHeapGrowth', () => {
  it('sets the growth factor V8 uses from the next collection', () => {
    const set: string[] = [];
    expect(limitHeapGrowth(30, [], (flags) => set.push(flags))).toBe(true);
    expect(set).toEqual(['--heap-growing-percent=30']);
  });

  it("leaves V8's own choice at 0 and an operator's command-line flag alone", () => {
    const set: string[] = [];
    expect(limitHeapGrowth(0, [], (flags) => set.push(flags))).toBe(false);
    expect(limitHeapGrowth(30, ['--heap-growing-percent=80'], (flags) => set.push(flags))).toBe(false);
    expect(limitHeapGrowth(30, ['--heap_growing_percent=80'], (flags) => set.push(flags))).toBe(false);
    expect(set).toEqual([]);
  });

  it('names a flag this Node knows (V8 prints "unrecognized flag" for one it does not)', () => {
    const script = "import { limitHeapGrowth } from './src/heap-growth.ts'; limitHeapGrowth(30, []);";
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr + run.stdout).not.toMatch(/unrecognized flag/u);
  });
});
