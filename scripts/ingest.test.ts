import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../test/support/fake-openai/index.js';
import { startFakeQdrant } from '../test/support/fake-qdrant/fake-qdrant-server.js';
import { publishKnowledge } from '../src/knowledge/publish.js';
import { VersionRegistry } from '../src/knowledge/version-registry.js';
import { EmbeddedVectorStore } from '../src/vector-store/embedded-vector-store.js';

// Each run starts a real process (about 2-4 s on a busy CI machine), so the tests chain steps.
const SLOW = { timeout: 180_000 };
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CSV = ['id,questions,answer', 'invoice,怎么开发票|能开发票吗,在订单详情页申请电子发票。', 'shipping,多久发货,付款后 48 小时内发货。'];
const REFUND = 'refund,怎么退款,原路退回到付款账户。';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A knowledge folder holding one CSV and an empty data folder, both temporary. */
function setup(env: Record<string, string> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'kefu-ingest-'));
  const knowledgeDir = path.join(root, 'knowledge');
  const dataDir = path.join(root, 'data');
  mkdirSync(knowledgeDir);
  const writeCsv = (lines: string[]) => writeFileSync(path.join(knowledgeDir, 'faq.csv'), `${lines.join('\n')}\n`);
  writeCsv(CSV);
  const registry = new VersionRegistry(dataDir);
  const indexDir = path.join(dataDir, 'kb', 'index');
  // QDRANT_URL is cleared so the CLI uses the embedded index whose files the tests inspect.
  const ingestWith = (extra: Record<string, string>, ...args: string[]) =>
    new Promise<Run>((resolve) => {
      const childEnv = { ...process.env, DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, QDRANT_URL: '', EMBEDDINGS_MODEL: '', ...env, ...extra };
      // `node --import tsx` is what `npm run ingest` runs, without npx's start-up cost.
      execFile(process.execPath, ['--import', 'tsx', 'scripts/ingest.ts', ...args], { cwd: REPO, env: childEnv }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  const ingest = (...args: string[]) => ingestWith({}, ...args);
  /** Publishes in-process: a quick way to prepare versions for the CLI to act on. */
  const publishDirect = () => publishKnowledge({ knowledgeDir, registry, vectorStore: new EmbeddedVectorStore(indexDir), author: 'setup' });
  const live = () => (existsSync(path.join(indexDir, 'live.json')) ? (JSON.parse(readFileSync(path.join(indexDir, 'live.json'), 'utf8')) as { version: number }).version : undefined);
  return { root, dataDir, indexDir, registry, writeCsv, ingest, ingestWith, publishDirect, live };
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

  it('exits 1 with one clear line for a bad argument, a missing version or a missing folder', SLOW, async () => {
    const kb = setup();
    await kb.publishDirect();
    const noStack = (run: Run) => expect(run.stderr).not.toMatch(/\n\s+at /);
    const missing = await kb.ingest('rollback', '7');
    expect(missing).toMatchObject({ code: 1, stderr: 'knowledge-base version 7 does not exist\n' });
    const word = await kb.ingest('diff', '1', 'latest');
    expect(word).toMatchObject({ code: 1, stderr: 'version B must be a whole number of at least 1, not "latest"\n' });
    const folder = await kb.ingest('--dir', path.join(kb.root, 'nowhere'));
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain('the knowledge folder does not exist (check KNOWLEDGE_DIR or --dir) (知识库文件夹不存在');
    expect(folder.stderr).toContain('nothing was published');
    for (const run of [missing, word, folder]) noStack(run);
    expect(kb.live()).toBe(1);
    expect(kb.registry.versions()).toEqual([1]);
  });

  it('on Qdrant: a refused write or a server that is down exits 1 clearly, the alias stays, the next publish recovers', SLOW, async () => {
    const qdrant = await startFakeQdrant();
    try {
      const kb = setup({ QDRANT_URL: qdrant.url, QDRANT_COLLECTION_PREFIX: 'cli_kb' });
      const liveAlias = () => qdrant.state.aliases.get('cli_kb_live');
      expect((await kb.ingest()).code).toBe(0);
      expect(liveAlias()).toBe('cli_kb_v1');

      kb.writeCsv([...CSV, REFUND]);
      qdrant.failNext(500, 1, 'upsert_points');
      const refused = await kb.ingest();
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`Qdrant at ${qdrant.url} refused to upload points 1-4 to cli_kb_v2: HTTP 500: Service internal error: injected failure 500\n`);
      expect(liveAlias()).toBe('cli_kb_v1');
      expect(kb.registry.versions()).toEqual([1]);

      // The half-built collection of version 2 is rebuilt by the next publish.
      const recovered = await kb.ingest('--json');
      expect(recovered.code).toBe(0);
      expect(JSON.parse(recovered.stdout)).toMatchObject({ status: 'published', version: 2, previousVersion: 1, changes: { added: ['refund'] } });
      expect(liveAlias()).toBe('cli_kb_v2');
      expect(qdrant.state.resolve('cli_kb_v2').points.size).toBe(4);

      await qdrant.down();
      try {
        kb.writeCsv(CSV);
        const down = await kb.ingest();
        expect(down.code).toBe(1);
        expect(down.stderr).toMatch(new RegExp(`^Qdrant at ${qdrant.url} is unreachable \\((ECONNREFUSED|UND_ERR_SOCKET)\\); could not read aliases\n$`));
        const rollback = await kb.ingest('rollback', '1');
        expect(rollback.code).toBe(1);
        expect(rollback.stderr).toMatch(/is unreachable .*; could not check collection cli_kb_v1\n$/);
      } finally {
        await qdrant.up();
      }
      expect(liveAlias()).toBe('cli_kb_v2');
      expect(JSON.parse((await kb.ingest('--json')).stdout)).toMatchObject({ status: 'published', version: 3, changes: { removed: ['refund'] } });
      expect(qdrant.violations).toEqual([]);
    } finally {
      await qdrant.close();
    }
  });

  it('exits 1 on an embeddings dimension mismatch, keeps the live version, and publishes once the setting is fixed', SLOW, async () => {
    const openai = await startFakeOpenAi({ embeddingDimension: 32 });
    try {
      const kb = setup({ EMBEDDINGS_MODEL: 'test-embed', EMBEDDINGS_BASE_URL: openai.baseURL });
      expect((await kb.ingest()).code).toBe(0);
      expect(kb.registry.read(1).manifest.embeddings).toEqual({ model: 'test-embed', dimensions: 32 });

      kb.writeCsv([...CSV, REFUND]);
      // The operator sets a length the server does not produce.
      const mismatch = await kb.ingestWith({ EMBEDDINGS_DIMENSIONS: '16' });
      expect(mismatch).toMatchObject({ code: 1, stderr: 'embedding dimension mismatch: expected 16, got 32\n' });
      expect(kb.live()).toBe(1);
      expect(kb.registry.versions()).toEqual([1]);

      const fixed = await kb.ingest('--json');
      expect(fixed.code).toBe(0);
      expect(JSON.parse(fixed.stdout)).toMatchObject({ status: 'published', version: 2, embedded: 1, changes: { added: ['refund'] } });
      expect(kb.registry.read(2).manifest.embeddings).toEqual({ model: 'test-embed', dimensions: 32 });
      expect(kb.live()).toBe(2);
      expect(openai.invalidRequests).toEqual([]);
    } finally {
      await openai.close();
    }
  });
});
