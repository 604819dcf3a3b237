import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { publishKnowledge } from '../src/knowledge/publish.js';
import { VersionRegistry } from '../src/knowledge/version-registry.js';
import { EmbeddedVectorStore } from '../src/vector-store/embedded-vector-store.js';

// Each run starts a real process (about 2-4 s on a busy CI machine), so the tests chain steps.
const SLOW = { timeout: 120_000 };
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CSV = ['id,questions,answer', 'invoice,怎么开发票|能开发票吗,在订单详情页申请电子发票。', 'shipping,多久发货,付款后 48 小时内发货。'];
const REFUND = 'refund,怎么退款,原路退回到付款账户。';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A knowledge folder holding one CSV and an empty data folder, both temporary. */
function setup() {
  const root = mkdtempSync(path.join(tmpdir(), 'kefu-ingest-'));
  const knowledgeDir = path.join(root, 'knowledge');
  const dataDir = path.join(root, 'data');
  mkdirSync(knowledgeDir);
  const writeCsv = (lines: string[]) => writeFileSync(path.join(knowledgeDir, 'faq.csv'), `${lines.join('\n')}\n`);
  writeCsv(CSV);
  const registry = new VersionRegistry(dataDir);
  const indexDir = path.join(dataDir, 'kb', 'index');
  // QDRANT_URL is cleared so the CLI uses the embedded index whose files the tests inspect.
  const ingest = (...args: string[]) =>
    new Promise<Run>((resolve) => {
      execFile('npx', ['tsx', 'scripts/ingest.ts', ...args], { cwd: REPO, env: { ...process.env, DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, QDRANT_URL: '' } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  /** Publishes in-process: a quick way to prepare versions for the CLI to act on. */
  const publishDirect = () => publishKnowledge({ knowledgeDir, registry, vectorStore: new EmbeddedVectorStore(indexDir), author: 'setup' });
  const live = () => (existsSync(path.join(indexDir, 'live.json')) ? (JSON.parse(readFileSync(path.join(indexDir, 'live.json'), 'utf8')) as { version: number }).version : undefined);
  return { dataDir, indexDir, registry, writeCsv, ingest, publishDirect, live };
}

describe('ingest CLI', () => {
  it('publishes, says when nothing changed, dry-runs, prints JSON, lists, diffs and rolls back', SLOW, async () => {
    const kb = setup();
    const first = await kb.ingest();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/version\s+status\s+entries\s+added\s+changed\s+removed\s+embedded\s+seconds/);
    expect(first.stdout).toMatch(/\n1\s+published\s+2\s+2\s+0\s+0\s/);

    const again = await kb.ingest();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing changed: version 1 is live and identical');
    expect(kb.registry.versions()).toEqual([1]);

    kb.writeCsv([...CSV, REFUND]);
    const dry = await kb.ingest('--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/\n2\s+dry-run\s+3\s+1\s+0\s+0\s/);
    expect(dry.stdout).toContain('added: refund');
    expect(dry.stdout).toContain('Dry run: nothing was written.');
    expect(kb.registry.versions()).toEqual([1]);
    expect(readdirSync(kb.indexDir).sort()).toEqual(['live.json', 'v0001.points.json']);

    const json = await kb.ingest('--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'published', version: 2, previousVersion: 1, entryCount: 3, changes: { added: ['refund'], changed: [], removed: [] } });

    const list = await kb.ingest('list');
    expect(list.stdout).toMatch(/\n1\s{2,}\S*\s*\d{4}-\d\d-\d\dT.*\s2\s*\n/);
    expect(list.stdout).toMatch(/\n2\s+\*\s+\d{4}-/);

    const diff = await kb.ingest('diff', '1', '2');
    expect(diff.stdout).toContain('added (1): refund');
    expect(diff.stdout).toContain('removed (0): ');

    const rollback = await kb.ingest('rollback', '1');
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain('Version 1 is live.');
    expect(kb.live()).toBe(1);
    const after = (await kb.ingest('list')).stdout;
    expect(after).toMatch(/\n1\s+\*\s+\d{4}-/);
    expect(after).not.toMatch(/\n2\s+\*/);
  });

  it('rejects an invalid KB with file:line [field] messages and leaves the live version alone', SLOW, async () => {
    const kb = setup();
    await kb.publishDirect();
    kb.writeCsv([...CSV, 'refund,怎么退款,', 'bad id,问题,答案']);
    const run = await kb.ingest();
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('error faq.csv:4 [answer] answer is empty (答案不能为空)');
    expect(run.stderr).toMatch(/error faq\.csv:5 \[id\] id "bad id" may only hold .* \(编号「bad id」只能包含/);
    expect(run.stderr).toContain('nothing was published');
    expect(kb.live()).toBe(1);
    expect(kb.registry.versions()).toEqual([1]);
  });

  it('deletes versions beyond --retain', SLOW, async () => {
    const kb = setup();
    await kb.publishDirect();
    kb.writeCsv([...CSV, REFUND]);
    await kb.publishDirect();
    kb.writeCsv([...CSV.slice(0, 2), REFUND]);
    const run = await kb.ingest('--retain', '1');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Deleted old versions: 1');
    expect(kb.registry.versions()).toEqual([2, 3]);
    expect(readdirSync(kb.indexDir).filter((name) => name.endsWith('.points.json')).sort()).toEqual(['v0002.points.json', 'v0003.points.json']);
    expect(kb.live()).toBe(3);
  });

  it('lists a truncated live version as corrupt, and the next publish repairs it', SLOW, async () => {
    const kb = setup();
    await kb.publishDirect();
    const file = kb.registry.fileOf(1);
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    const list = await kb.ingest('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/\n1\s+\*\s+corrupt/);
    const run = await kb.ingest();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\n2\s+published\s+2\s+2\s/);
    expect(kb.live()).toBe(2);
  });

  it('keeps the live version after a killed publish (stray points and temp files), and the next publish recovers', SLOW, async () => {
    const kb = setup();
    await kb.publishDirect();
    // What a publish killed mid-way leaves: points of version 2 and half-written temp files.
    writeFileSync(path.join(kb.indexDir, 'v0002.points.json'), '{"version":2,"points":[');
    writeFileSync(path.join(kb.indexDir, 'live.json.0a1b2c.tmp'), '{"ver');
    writeFileSync(`${kb.registry.fileOf(2)}.3d4e5f.tmp`, '{"manifest"');
    const list = await kb.ingest('list');
    expect(list.stdout).toMatch(/\n1\s+\*\s+\d{4}-/);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
    kb.writeCsv([...CSV, REFUND]);
    const run = await kb.ingest('--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'published', version: 2, previousVersion: 1, changes: { added: ['refund'] } });
    expect(kb.live()).toBe(2);
    expect(kb.registry.read(2).entries.map((entry) => entry.id)).toEqual(['invoice', 'shipping', 'refund']);
  });
});
