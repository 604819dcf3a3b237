import { describe, expect, it } from 'vitest';
import { commitTable, timeInserts } from './commit-stalls.js';

describe('bench:sqlite smoke', () => {
  it('times inserts in both checkpoint modes and prints the table', async () => {
    const results = [await timeInserts('inline', 200, 5), await timeInserts('worker', 200, 5)];
    for (const result of results) {
      expect(result.inserts).toBe(200);
      expect(result.maxMs).toBeGreaterThanOrEqual(result.p99Ms);
      expect(result.p99Ms).toBeGreaterThanOrEqual(result.p50Ms);
      expect(result.slowestShare).toBeGreaterThan(0);
    }
    const table = commitTable(results);
    expect(table).toContain('worker thread');
    expect(table).toContain('inline (default)');
  });
});
