import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { queryVector } from '../text/bm25.js';
import { tokenize } from '../text/tokenize.js';
import { Retriever } from '../rag/retriever.js';
import { EmbeddedVectorStore } from '../vector-store/embedded-vector-store.js';
import { buildIndexPoints } from './index-points.js';
import type { KbSnapshot } from './kb-version.js';
import { LiveKnowledge } from './live-knowledge.js';
import { publishKnowledge, type PublishProgress } from './publish.js';
import { readKnowledge } from './read-knowledge.js';
import { VersionRegistry } from './version-registry.js';

const CSV = ['id,questions,answer', 'invoice,怎么开发票|能开发票吗,在订单详情页申请电子发票。', 'invoice,How do I get an invoice?,Request it on the order page.', 'shipping,多久发货,付款后 48 小时内发货。'].join('\n');

/** A temp data folder and a knowledge folder holding `files`. */
function setup(files: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), 'kefu-publish-'));
  const knowledgeDir = path.join(root, 'kb');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(knowledgeDir, name)), { recursive: true });
    writeFileSync(path.join(knowledgeDir, name), content);
  }
  const dataDir = path.join(root, 'data');
  const registry = new VersionRegistry(dataDir);
  const vectorStore = new EmbeddedVectorStore(path.join(dataDir, 'kb', 'index'));
  const publish = () => publishKnowledge({ knowledgeDir, registry, vectorStore, author: 'test' });
  const write = (name: string, content: string) => writeFileSync(path.join(knowledgeDir, name), content);
  return { knowledgeDir, dataDir, registry, vectorStore, publish, write };
}

/** The same files on disk, but the process "dies" when it is about to switch the live pointer. */
class KilledBeforeSwitch extends EmbeddedVectorStore {
  override async setLive(): Promise<void> {
    throw new Error('killed');
  }
}

describe('publishKnowledge', () => {
  it('publishes a folder holding a single CSV, with the default skill group "general"', async () => {
    const kb = setup({ 'faq.csv': CSV });
    const result = await kb.publish();
    expect(result).toMatchObject({ status: 'published', version: 1, entryCount: 2, changes: { added: ['invoice', 'shipping'], changed: [], removed: [] }, warnings: [] });
    expect(await kb.vectorStore.liveVersion()).toBe(1);
    const stored = kb.registry.read(1);
    expect(stored.defaultSkillGroup).toBe('general');
    expect(stored.entries.map((entry) => [entry.id, entry.skillGroup, entry.category])).toEqual([['invoice', 'general', []], ['shipping', 'general', []]]);
    const hits = await kb.vectorStore.search({ sparse: queryVector(tokenize('发票怎么开')), limit: 1 });
    expect(hits[0]?.entryId).toBe('invoice');
  });

  it('stores article chunks with the version and searches them', async () => {
    const body = `${'商品签收后请检查包装。'.repeat(30)}\n\n如果屏幕出现坏点，请在三十天内联系客服更换新机。`;
    const kb = setup({ '售后/屏幕坏点.md': `---\nid: dead-pixel\ntitle: 屏幕坏点政策\n---\n${body}\n` });
    await kb.publish();
    const entry = kb.registry.read(1).entries[0];
    expect(entry).toMatchObject({ id: 'dead-pixel', category: ['售后'], answer: { zh: body } });
    expect(entry?.chunks?.length).toBeGreaterThan(1);
    const hits = await kb.vectorStore.search({ sparse: queryVector(tokenize('屏幕坏点能换新机吗')), limit: 3 });
    expect(hits.map((hit) => hit.pointId)).toContain(`dead-pixel:chunk:${(entry?.chunks?.length ?? 0) - 1}`);
  });

  it('recovers from a corrupt live version: the next publish succeeds and becomes live', async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    writeFileSync(kb.registry.fileOf(1), '{"manifest":{"version":1');
    expect(kb.registry.manifests()).toEqual([{ version: 1, corrupt: true }]);
    const result = await kb.publish();
    expect(result).toMatchObject({ status: 'published', version: 2, changes: { added: ['invoice', 'shipping'] } });
    expect(await kb.vectorStore.liveVersion()).toBe(2);
  });

  it('leaves the live version serving after a half-finished publish, and the next publish recovers', async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    const reader = new LiveKnowledge(kb.registry, kb.vectorStore, silentLogger());
    await reader.refresh();
    // A publish killed after writing its points and leaving temp files, before the version file and the switch.
    kb.write('faq.csv', `${CSV}\nrefund,怎么退款,原路退回。`);
    const read = await readKnowledge(kb.knowledgeDir);
    await kb.vectorStore.createVersion(2, buildIndexPoints(read.entries).points, {});
    writeFileSync(`${kb.registry.fileOf(2)}.a1b2c3.tmp`, '{"manifest":');
    writeFileSync(path.join(kb.dataDir, 'kb', 'index', 'live.json.d4e5f6.tmp'), '{"vers');

    expect(await kb.vectorStore.liveVersion()).toBe(1);
    expect(kb.registry.versions()).toEqual([1]);
    expect(await reader.refresh()).toBe(false);
    expect(reader.current().manifest.version).toBe(1);

    const result = await kb.publish();
    expect(result).toMatchObject({ status: 'published', version: 2, previousVersion: 1, changes: { added: ['refund'], changed: [], removed: [] } });
    expect(await reader.refresh()).toBe(true);
    expect(reader.current().entries.has('refund')).toBe(true);
  });

  it('keeps serving a version killed between writing it and making it live, then moves past it', async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    kb.write('faq.csv', `${CSV}\nrefund,怎么退款,原路退回。`);
    // The version file exists but the live pointer never moved: it is just an old, unused version.
    const killedBeforeSwitch = new KilledBeforeSwitch(path.join(kb.dataDir, 'kb', 'index'));
    await expect(publishKnowledge({ knowledgeDir: kb.knowledgeDir, registry: kb.registry, vectorStore: killedBeforeSwitch, author: 'test' })).rejects.toThrow('killed');
    expect(kb.registry.versions()).toEqual([1, 2]);
    expect(await kb.vectorStore.liveVersion()).toBe(1);
    const result = await kb.publish();
    expect(result).toMatchObject({ status: 'published', version: 3, previousVersion: 1, changes: { added: ['refund'] } });
    expect(await kb.vectorStore.liveVersion()).toBe(3);
  });
  it('reports progress per stage: files read, entries indexed, points written, the switch', async () => {
    const kb = setup({ 'a/faq.csv': CSV, 'b/faq.csv': 'id,questions,answer\nrefund,怎么退款,原路退回。\n' });
    const seen: PublishProgress[] = [];
    await publishKnowledge({ knowledgeDir: kb.knowledgeDir, registry: kb.registry, vectorStore: kb.vectorStore, author: 'test', onProgress: (progress) => seen.push(progress) });
    const points = buildIndexPoints((await readKnowledge(kb.knowledgeDir)).entries).points.length;
    expect(seen).toEqual([
      { stage: 'read', done: 0, total: 2 },
      { stage: 'read', done: 1, total: 2 },
      { stage: 'read', done: 2, total: 2 },
      { stage: 'index', done: 0, total: 3 },
      { stage: 'index', done: 3, total: 3 },
      { stage: 'write', done: 0, total: points },
      { stage: 'write', done: points, total: points },
      { stage: 'switch', done: 1, total: 1 },
    ]);
  });

  it('never rebuilds the live version when the version files are gone: it numbers past it', async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    // A fresh or wiped data folder next to a vector store that still serves version 1.
    rmSync(kb.registry.dir, { recursive: true });
    kb.write('faq.csv', `${CSV}\nrefund,怎么退款,原路退回。`);
    const result = await kb.publish();
    expect(result).toMatchObject({ status: 'published', version: 2, previousVersion: 1, changes: { added: ['invoice', 'refund', 'shipping'] } });
    expect(await kb.vectorStore.listVersions()).toEqual([1, 2]);
    const old = await kb.vectorStore.search({ sparse: queryVector(tokenize('怎么退款')), limit: 5 }, 1);
    expect(old.map((hit) => hit.entryId)).not.toContain('refund');
    expect(await kb.vectorStore.liveVersion()).toBe(2);
  });
});

describe('LiveKnowledge.refresh', () => {
  it('keeps serving the previous snapshot when the newly live version is unreadable', async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    const reader = new LiveKnowledge(kb.registry, kb.vectorStore, silentLogger());
    expect(await reader.refresh()).toBe(true);
    kb.write('faq.csv', `${CSV}\nrefund,怎么退款,原路退回。`);
    await kb.publish();
    writeFileSync(kb.registry.fileOf(2), 'not json');
    expect(await reader.refresh()).toBe(false);
    expect(reader.current().manifest.version).toBe(1);
    expect(reader.current().entries.has('refund')).toBe(false);
    // The fix is a new publish; the reader then moves on.
    kb.write('faq.csv', `${CSV}\nrefund,怎么退款,原路退回到付款账户。`);
    await kb.publish();
    expect(await reader.refresh()).toBe(true);
    expect(reader.current().manifest.version).toBe(3);
    expect(existsSync(kb.registry.fileOf(2))).toBe(true);
    expect(readdirSync(kb.registry.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('readies a version before it serves it; a poll meanwhile waits for that load instead of repeating it', async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    const prepared: number[] = [];
    let finish = () => {};
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const reader = new LiveKnowledge(kb.registry, kb.vectorStore, silentLogger(), async (snapshot: KbSnapshot) => {
      prepared.push(snapshot.manifest.version);
      await gate;
    });
    const first = reader.refresh();
    const second = reader.refresh();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reader.isLoaded()).toBe(false);
    finish();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(prepared).toEqual([1]);
    expect(reader.current().manifest.version).toBe(1);
    expect(await reader.refresh()).toBe(false);
  });

  it('keeps serving the previous version when the new one cannot be readied', async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    const indexDir = path.join(kb.dataDir, 'kb', 'index');
    const store = new EmbeddedVectorStore(indexDir);
    const reader = new LiveKnowledge(kb.registry, store, silentLogger(), (snapshot) => new Retriever(store).prepare(snapshot));
    expect(await reader.refresh()).toBe(true);
    kb.write('faq.csv', `${CSV}\nrefund,怎么退款,原路退回。`);
    await kb.publish();
    // Version 2's index is gone: it would fail every search, so it never serves.
    rmSync(path.join(indexDir, 'v0002.points.json'));
    expect(await reader.refresh()).toBe(false);
    expect(reader.current().manifest.version).toBe(1);
    expect((await store.search({ sparse: queryVector(tokenize('多久发货')), limit: 1 }, 1))[0]?.entryId).toBe('shipping');
  });

  it("with the retriever's prepare, the version's index is read before it serves and answers the same", async () => {
    const kb = setup({ 'faq.csv': CSV });
    await kb.publish();
    const store = new EmbeddedVectorStore(path.join(kb.dataDir, 'kb', 'index'));
    const retriever = new Retriever(store);
    const reader = new LiveKnowledge(kb.registry, store, silentLogger(), (snapshot) => retriever.prepare(snapshot));
    await reader.refresh();
    const cold = await new Retriever(kb.vectorStore).retrieve(reader.current(), '发票怎么开', { k: 3 });
    rmSync(path.join(kb.dataDir, 'kb', 'index', 'v0001.points.json'));
    const warm = await retriever.retrieve(reader.current(), '发票怎么开', { k: 3 });
    expect(warm.results.map(({ entry, confidence, matchedQuestion }) => [entry.id, confidence, matchedQuestion])).toEqual(
      cold.results.map(({ entry, confidence, matchedQuestion }) => [entry.id, confidence, matchedQuestion]),
    );
    expect(warm.results[0]?.entry.id).toBe('invoice');
  });
});
