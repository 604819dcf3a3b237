import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchCommand } from './bench-command.js';

const resultsDir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-smoke-'));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

describe('npm run bench on a tiny KB', () => {
  it('loads both servers without errors, prints the table and writes the JSON', async () => {
    let printed = '';
    const { file } = await benchCommand(
      ['--entries', '30', '--concurrency', '2', '--duration', '1', '--warmup', '0', '--pool', '4', '--results-dir', resultsDir],
      (text) => (printed += text),
    );

    expect(printed).toMatch(/^\| server +\| conn\. +\| req\/s +\| p50 ms +\| p95 ms +\| p99 ms +\| errors +\| server CPU ms\/req +\| ours \/ bare +\|$/mu);
    expect(printed).toMatch(/^\| ours: POST …\/messages +\| 2 +\|/mu);
    expect(printed).toMatch(/^\| bare Express, fixed JSON +\| 2 +\|/mu);
    expect(existsSync(file)).toBe(true);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['machine', 'options', 'publish', 'ours', 'bareExpress', 'targets']));
    expect(json.publish).toMatchObject({ entries: 30, firstStatus: 'published', unchangedStatus: 'unchanged' });
    for (const run of [...json.ours.runs, ...json.bareExpress.runs]) {
      expect(run).toMatchObject({ connections: 2, errors: 0 });
      expect(run.requests).toBeGreaterThan(0);
      expect(Object.keys(run)).toEqual(expect.arrayContaining(['requestsPerSecond', 'p50Ms', 'p95Ms', 'p99Ms']));
      expect(run.serverCpuMsPerRequest).toBeGreaterThan(0);
    }
    expect(json.ours.peakRssMiB).toBeGreaterThan(0);
    // The default runtime is the production one: the servers were compiled and run with plain Node.
    expect(json.options.runtime).toBe('node');
    expect(printed).toMatch(/Servers compiled as in production \(node --max-semi-space-size=8 dist/u);
    expect(json.ours.memoryAtEnd.atPeak.rssMiB).toBeGreaterThan(0);
  }, 180_000);

  it('times only the publish with --publish-only', async () => {
    let printed = '';
    const { file } = await benchCommand(['--entries', '20', '--publish-only', '--results-dir', resultsDir], (text) => (printed += text));
    expect(printed).toMatch(/^\| unchanged re-publish +\|/mu);
    expect(path.basename(file)).toMatch(/^bench-publish-\d{4}-\d{2}-\d{2}\.json$/u);
    expect(JSON.parse(readFileSync(file, 'utf8')).ours).toBeUndefined();
  });
});
