import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedVectorStore } from './embedded-vector-store.js';
import { runVectorStoreContract } from './vector-store.contract.js';

function openTemp() {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-index-'));
  return { dir, store: new EmbeddedVectorStore(dir), close: async () => rmSync(dir, { recursive: true, force: true }) };
}

runVectorStoreContract('embedded', async () => openTemp());

describe('embedded vector store files', () => {
  it('survives a restart: a new instance reads the live version from disk', async () => {
    const { dir, store, close } = openTemp();
    await store.createVersion(3, [{ id: 'x:0', entryId: 'x', sparse: { indices: [1], values: [1] }, category: [], tags: [] }], {});
    await store.setLive(3);
    const reopened = new EmbeddedVectorStore(dir);
    expect(await reopened.liveVersion()).toBe(3);
    expect((await reopened.search({ sparse: { indices: [1], values: [1] }, limit: 1 }))[0]?.entryId).toBe('x');
    await close();
  });

  it('writes version files as pure ASCII that read back with their Chinese and emoji intact, and reads older UTF-8 files', async () => {
    const { dir, store, close } = openTemp();
    const point = { id: 'a:0', entryId: 'a', lang: 'zh', sparse: { indices: [7], values: [0.5] }, category: ['售后', '退款'], tags: ['价格😀'] };
    await store.createVersion(1, [point], {});
    const text = readFileSync(path.join(dir, 'v0001.points.json'), 'utf8');
    expect(text).toMatch(/^[\x20-\x7e\n]*$/u);
    expect(text.split('\n')).toHaveLength(4); // header, the point, the end, the final newline
    expect(JSON.parse(text)).toEqual({ version: 1, points: [point] });
    expect((await store.search({ sparse: { indices: [7], values: [1] }, limit: 1, filter: { categoryPrefix: ['售后'] } }, 1))[0]?.entryId).toBe('a');
    // A file from before the escaping, with the characters as UTF-8.
    writeFileSync(path.join(dir, 'v0002.points.json'), JSON.stringify({ version: 2, points: [{ ...point, entryId: 'b' }] }));
    expect((await store.search({ sparse: { indices: [7], values: [1] }, limit: 1, filter: { categoryPrefix: ['售后', '退款'] } }, 2))[0]?.entryId).toBe('b');
    await close();
  });

  it('reports a corrupt version file as unavailable instead of crashing', async () => {
    const { dir, store, close } = openTemp();
    writeFileSync(path.join(dir, 'v0001.points.json'), '{"version":1,"points":[');
    await expect(store.search({ sparse: { indices: [1], values: [1] }, limit: 1 }, 1)).rejects.toMatchObject({ code: 'vector_store_unavailable' });
    await expect(store.setLive(1)).rejects.toMatchObject({ code: 'vector_store_unavailable' });
    expect(await store.liveVersion()).toBeUndefined();
    await close();
  });

  it('fills the top k from allowed points only, however many better ones the filter removes, and keeps ties in order', async () => {
    const { store, close } = openTemp();
    const point = (id: string, weight: number, lang: string) => ({ id: `${id}:0`, entryId: id, sparse: { indices: [7], values: [weight] }, lang, category: [], tags: [] });
    // Ten Chinese points outscore every English one; two English ones tie.
    const points = [
      ...Array.from({ length: 10 }, (_, at) => point(`zh${at}`, 5 + at, 'zh')),
      point('en-low', 1, 'en'), point('en-tie-a', 2, 'en'), point('en-tie-b', 2, 'en'), point('en-top', 3, 'en'),
    ];
    await store.createVersion(1, points, {});
    const hits = await store.search({ sparse: { indices: [7], values: [1] }, limit: 3, filter: { lang: 'en' } }, 1);
    expect(hits.map((hit) => hit.entryId)).toEqual(['en-top', 'en-tie-a', 'en-tie-b']);
    const all = await store.search({ sparse: { indices: [7], values: [1] }, limit: 2 }, 1);
    expect(all.map((hit) => hit.entryId)).toEqual(['zh9', 'zh8']);
    await close();
  });
});
