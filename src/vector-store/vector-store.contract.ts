import { describe, expect, it } from 'vitest';
import { idf } from '../text/bm25.js';
import type { IndexPoint, VectorStore } from './vector-store.js';

function point(id: string, terms: Record<number, number>, extra: Partial<IndexPoint> = {}): IndexPoint {
  const indices = Object.keys(terms).map(Number).sort((a, b) => a - b);
  return {
    id,
    entryId: id.split(':')[0] as string,
    sparse: { indices, values: indices.map((term) => terms[term] as number) },
    category: ['售后', '退换货'],
    tags: [],
    lang: 'zh',
    ...extra,
  };
}

const POINTS = [
  point('returns:0', { 1: 1.2, 2: 0.8 }),
  point('returns:1', { 1: 0.9, 3: 1.1 }, { lang: 'en' }),
  point('invoice:0', { 4: 1.3, 2: 0.7 }, { category: ['服务', '发票'] }),
  point('shipping:0', { 5: 1.0 }, { category: ['服务', '物流配送'] }),
];

/**
 * The behaviour every vector-store adapter must show, run against each of them (like hono's
 * router cases): the same points must rank the same way on every engine.
 */
export function runVectorStoreContract(name: string, open: () => Promise<{ store: VectorStore; close: () => Promise<void> }>): void {
  describe(`${name}: vector-store contract`, () => {
    it('scores sparse vectors as BM25 with Qdrant-style idf', async () => {
      const { store, close } = await open();
      try {
        await store.createVersion(1, POINTS, {});
        const hits = await store.search({ sparse: { indices: [1, 2], values: [1, 1] }, limit: 10 }, 1);
        const n = POINTS.length;
        const expected = {
          'returns:0': idf(n, 2) * 1.2 + idf(n, 2) * 0.8,
          'returns:1': idf(n, 2) * 0.9,
          'invoice:0': idf(n, 2) * 0.7,
        };
        expect(hits.map((hit) => hit.pointId)).toEqual(['returns:0', 'returns:1', 'invoice:0']);
        for (const hit of hits) {
          expect(hit.sparseScore).toBeCloseTo(expected[hit.pointId as keyof typeof expected], 4);
          expect(hit.retrievers).toEqual(['sparse']);
          expect(hit.entryId).toBe(hit.pointId.split(':')[0]);
        }
        expect(await store.search({ sparse: { indices: [1, 2], values: [1, 1] }, limit: 1 }, 1)).toHaveLength(1);
        expect(await store.search({ sparse: { indices: [99], values: [1] }, limit: 5 }, 1)).toEqual([]);
      } finally {
        await close();
      }
    });

    it('filters by language and category prefix', async () => {
      const { store, close } = await open();
      try {
        await store.createVersion(1, POINTS, {});
        const english = await store.search({ sparse: { indices: [1], values: [1] }, limit: 10, filter: { lang: 'en' } }, 1);
        expect(english.map((hit) => hit.pointId)).toEqual(['returns:1']);
        const invoices = await store.search({ sparse: { indices: [2], values: [1] }, limit: 10, filter: { categoryPrefix: ['服务'] } }, 1);
        expect(invoices.map((hit) => hit.pointId)).toEqual(['invoice:0']);
      } finally {
        await close();
      }
    });

    it('serves the live version, switches atomically and keeps older versions searchable', async () => {
      const { store, close } = await open();
      try {
        expect(await store.liveVersion()).toBeUndefined();
        await store.createVersion(1, POINTS, {});
        await store.setLive(1);
        await store.createVersion(2, [point('new:0', { 9: 1 })], {});
        expect(await store.liveVersion()).toBe(1);
        expect((await store.search({ sparse: { indices: [9], values: [1] }, limit: 5 })).length).toBe(0);
        await store.setLive(2);
        expect(await store.liveVersion()).toBe(2);
        expect((await store.search({ sparse: { indices: [9], values: [1] }, limit: 5 }))[0]?.entryId).toBe('new');
        expect((await store.search({ sparse: { indices: [1], values: [1] }, limit: 5 }, 1)).length).toBe(2);
        expect(await store.listVersions()).toEqual([1, 2]);
        await store.deleteVersion(1);
        expect(await store.listVersions()).toEqual([2]);
        await store.setLive(2);
        expect(await store.liveVersion()).toBe(2);
      } finally {
        await close();
      }
    });

    it('fuses dense and sparse rankings with RRF (k = 2)', async () => {
      const { store, close } = await open();
      try {
        const dense = [
          point('a:0', { 1: 1 }, { dense: [1, 0] }),
          point('b:0', { 1: 0.5 }, { dense: [0, 1] }),
          point('c:0', { 2: 1 }, { dense: [0.9, 0.1] }),
        ];
        await store.createVersion(1, dense, { denseSize: 2 });
        const hits = await store.search({ sparse: { indices: [1], values: [1] }, dense: [0, 1], limit: 3 }, 1);
        // sparse ranks a, b; dense ranks b, c, a
        const expected = { a: 1 / 2 + 1 / 4, b: 1 / 3 + 1 / 2, c: 1 / 3 };
        expect(hits.map((hit) => hit.entryId)).toEqual(['b', 'a', 'c']);
        for (const hit of hits) expect(hit.score).toBeCloseTo(expected[hit.entryId as keyof typeof expected], 6);
        expect(hits.find((hit) => hit.entryId === 'b')?.retrievers.sort()).toEqual(['dense', 'sparse']);
        expect(hits.find((hit) => hit.entryId === 'c')?.retrievers).toEqual(['dense']);
      } finally {
        await close();
      }
    });

    it('rejects dense vectors of the wrong size', async () => {
      const { store, close } = await open();
      try {
        await expect(store.createVersion(1, [point('a:0', { 1: 1 }, { dense: [1, 0, 0] })], { denseSize: 2 })).rejects.toThrow(/dimension/);
      } finally {
        await close();
      }
    });
  });
}
