import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeQdrant, type FakeQdrant } from '../../test/support/fake-qdrant/fake-qdrant-server.js';
import { VectorStoreUnavailableError } from '../errors.js';
import { EmbeddedVectorStore } from './embedded-vector-store.js';
import { pointUuid } from './qdrant-point-id.js';
import { QdrantVectorStore } from './qdrant-vector-store.js';
import { runVectorStoreContract } from './vector-store.contract.js';
import type { IndexPoint, SearchHit, SearchQuery } from './vector-store.js';

let fake: FakeQdrant;
let stores = 0;
beforeAll(async () => {
  fake = await startFakeQdrant();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  // Per test, so a failure names the test whose requests broke the official OpenAPI document.
  expect(fake.violations).toEqual([]);
  expect(fake.responseViolations).toEqual([]);
});

/** A store with a prefix of its own on the shared fake: every test starts from an empty server. */
function openOnFake() {
  const prefix = `kb${(stores += 1)}`;
  return { store: new QdrantVectorStore({ url: fake.url, prefix }), prefix, close: async () => {} };
}

function point(id: string, terms: Record<number, number>, extra: Partial<IndexPoint> = {}): IndexPoint {
  const indices = Object.keys(terms).map(Number).sort((a, b) => a - b);
  const sparse = { indices, values: indices.map((term) => terms[term] as number) };
  return { id, entryId: id.split(':')[0] as string, sparse, category: ['售后', '退换货'], tags: [], lang: 'zh', ...extra };
}
const POINTS = [point('returns:0', { 1: 1.2, 2: 0.8 }), point('returns:1', { 1: 0.9, 3: 1.1 }), point('invoice:0', { 4: 1.3 }, { category: ['服务', '发票'] })];
const requestsSince = (start: number) => fake.requests.slice(start);

runVectorStoreContract('qdrant (local stand-in)', async () => openOnFake());

describe.skipIf(!process.env.QDRANT_URL)('qdrant (real server at QDRANT_URL)', () => {
  const run = `kefu_test_${randomUUID().slice(0, 8)}`;
  let opened = 0;
  runVectorStoreContract('qdrant (real server)', async () => {
    const store = new QdrantVectorStore({ url: process.env.QDRANT_URL ?? '', apiKey: process.env.QDRANT_API_KEY, prefix: `${run}_${(opened += 1)}` });
    const close = async () => {
      // Deleting the collections also deletes the alias.
      for (const version of await store.listVersions()) await store.deleteVersion(version);
    };
    return { store, close };
  });
});

describe('qdrant vector store', () => {
  it('lays a version out as named vectors with idf, keyword indexes made before the upload, batched waited upserts', async () => {
    const { store, prefix } = openOnFake();
    const points = Array.from({ length: 600 }, (_, at) => point(`e${at}:0`, { [(at % 7) + 1]: 1 }, { dense: [1, at] }));
    const start = fake.requests.length;
    await store.createVersion(4, points, { denseSize: 2 });
    const info = await new QdrantClient({ url: fake.url, checkCompatibility: false }).getCollection(`${prefix}_v4`);
    expect(info.config.params.vectors).toEqual({ dense: { size: 2, distance: 'Cosine' } });
    expect(info.config.params.sparse_vectors).toEqual({ sparse: { modifier: 'idf' } });
    const indexes = Object.fromEntries(Object.entries(info.payload_schema).map(([field, index]) => [field, index?.data_type]));
    expect(indexes).toEqual({ entry_id: 'keyword', lang: 'keyword', category: 'keyword', category_prefixes: 'keyword', tags: 'keyword' });

    const mine = requestsSince(start);
    const operations = mine.map((request) => request.operationId);
    expect(operations.lastIndexOf('create_field_index')).toBeLessThan(operations.indexOf('upsert_points'));
    const upserts = mine.filter((request) => request.operationId === 'upsert_points');
    expect(upserts.map((request) => (request.body as any).points.length)).toEqual([256, 256, 88]);
    expect(mine.filter((request) => /upsert_points|create_field_index/.test(request.operationId ?? '')).every((request) => request.query.wait === 'true')).toBe(true);
    expect(fake.state.resolve(`${prefix}_v4`).points.get(pointUuid('e5:0'))?.payload).toEqual({
      point_id: 'e5:0',
      entry_id: 'e5',
      lang: 'zh',
      category: ['售后', '退换货'],
      category_path: '售后/退换货',
      category_prefixes: ['售后', '售后/退换货'],
      tags: [],
    });
  });

  it('switches the live alias in one request with two actions', async () => {
    const { store, prefix } = openOnFake();
    await store.createVersion(1, POINTS, {});
    await store.createVersion(2, POINTS, {});
    await store.setLive(1);
    const start = fake.requests.length;
    await store.setLive(2);
    const switches = requestsSince(start).filter((request) => request.operationId === 'update_aliases');
    expect(switches.map((request) => request.body)).toEqual([
      { actions: [{ delete_alias: { alias_name: `${prefix}_live` } }, { create_alias: { collection_name: `${prefix}_v2`, alias_name: `${prefix}_live` } }] },
    ]);
    expect(await store.liveVersion()).toBe(2);
  });

  it('replaces a half-built collection left by a killed publish, but never the live one', async () => {
    const { store, prefix } = openOnFake();
    const client = new QdrantClient({ url: fake.url, checkCompatibility: false });
    await client.createCollection(`${prefix}_v3`, { sparse_vectors: { sparse: { modifier: 'idf' } } });
    const stale = { id: pointUuid('stale:0'), vector: { sparse: { indices: [42], values: [1] } }, payload: { point_id: 'stale:0', entry_id: 'stale' } };
    await client.upsert(`${prefix}_v3`, { wait: true, points: [stale] });
    await store.createVersion(3, POINTS, {});
    expect(await store.search({ sparse: { indices: [42], values: [1] }, limit: 5 }, 3)).toEqual([]);
    expect((await store.search({ sparse: { indices: [1], values: [1] }, limit: 5 }, 3)).map((hit) => hit.pointId)).toEqual(['returns:0', 'returns:1']);

    fake.failNext(500, 1, 'upsert_points');
    await expect(store.createVersion(5, POINTS, {})).rejects.toThrow(/refused to upload points 1-3 to kb\d+_v5: HTTP 500/);
    await store.createVersion(5, POINTS, {});
    expect(await store.listVersions()).toEqual([3, 5]);

    await store.setLive(3);
    await expect(store.createVersion(3, POINTS, {})).rejects.toThrow(/version 3 is live/);
    expect((await store.search({ sparse: { indices: [1], values: [1] }, limit: 5 })).length).toBe(2);
  });

  it('fails clearly while Qdrant is down or refusing, and leaves the live alias where it was', async () => {
    const { store, prefix } = openOnFake();
    await store.createVersion(1, POINTS, {});
    await store.createVersion(2, POINTS, {});
    await store.setLive(1);
    await fake.down();
    try {
      const unreachable = { code: 'vector_store_unavailable', message: expect.stringMatching(new RegExp(`Qdrant at ${fake.url} is unreachable \\((ECONNREFUSED|UND_ERR_SOCKET)\\)`)) };
      await expect(store.setLive(2)).rejects.toBeInstanceOf(VectorStoreUnavailableError);
      await expect(store.liveVersion()).rejects.toMatchObject(unreachable);
      await expect(store.search({ sparse: { indices: [1], values: [1] }, limit: 5 }, 1)).rejects.toMatchObject(unreachable);
    } finally {
      await fake.up();
    }
    expect(await store.liveVersion()).toBe(1);

    fake.failNext(503, 1, 'update_aliases');
    await expect(store.setLive(2)).rejects.toThrow(`switch ${prefix}_live to ${prefix}_v2: HTTP 503: Service internal error: injected failure 503`);
    // Qdrant applies alias actions one by one, so the adapter checks the target exists first.
    await expect(store.setLive(9)).rejects.toThrow(`version 9 does not exist in Qdrant (no collection ${prefix}_v9)`);
    expect(await store.liveVersion()).toBe(1);
    await expect(store.search({ sparse: { indices: [1], values: [1] }, limit: 5 }, 9)).rejects.toThrow(`HTTP 404: Not found: Collection \`${prefix}_v9\` doesn't exist!`);
  });

  it('rejects dense vectors of the wrong dimension, naming both sizes, before anything is written', async () => {
    const { store, prefix } = openOnFake();
    const start = fake.requests.length;
    await expect(store.createVersion(1, [point('a:0', { 1: 1 }, { dense: [1, 0, 0] })], { denseSize: 2 })).rejects.toThrow('point a:0 has dimension 3, the version expects 2');
    expect(requestsSince(start)).toEqual([]);
    await store.createVersion(1, [point('a:0', { 1: 1 }, { dense: [1, 0] })], { denseSize: 2 });
    const query = { sparse: { indices: [1], values: [1] }, dense: [1, 0, 0], limit: 3 };
    await expect(store.search(query, 1)).rejects.toThrow(`the dense query has dimension 3, collection ${prefix}_v1 expects 2`);
  });

  it('finds nothing before the first publish, and searches sparse only when a version has no dense vectors', async () => {
    const { store } = openOnFake();
    expect(await store.search({ sparse: { indices: [1], values: [1] }, limit: 5 })).toEqual([]);
    await store.createVersion(1, POINTS, {});
    const hits = await store.search({ sparse: { indices: [1], values: [1] }, dense: [1, 0], limit: 5 }, 1);
    expect(hits.map((hit) => [hit.pointId, hit.retrievers])).toEqual([['returns:0', ['sparse']], ['returns:1', ['sparse']]]);
  });

  it('ranks and scores exactly like the embedded index, including sparse scores below the sparse top k', async () => {
    const random = seeded(7);
    const points = Array.from({ length: 40 }, (_, at) => {
      const terms = Object.fromEntries(Array.from({ length: 3 }, () => [1 + Math.floor(random() * 12), 0.2 + random()]));
      const extra = { dense: [random() - 0.5, random() - 0.5, random() - 0.5], lang: at % 3 === 0 ? 'en' : 'zh', category: at % 2 === 0 ? ['服务', '发票'] : ['售后'] };
      return point(`p${at}:0`, terms, extra);
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-parity-'));
    try {
      const embedded = new EmbeddedVectorStore(dir);
      const { store } = openOnFake();
      await embedded.createVersion(1, points, { denseSize: 3 });
      await store.createVersion(1, points, { denseSize: 3 });
      const queries: SearchQuery[] = [
        { sparse: { indices: [1, 2, 3], values: [1, 1, 1] }, limit: 6 },
        { sparse: { indices: [4, 5], values: [1, 1] }, dense: [0.3, -0.2, 0.1], limit: 5 },
        { sparse: { indices: [6, 7, 8], values: [1, 1, 1] }, dense: [-0.1, 0.4, 0.2], limit: 4, filter: { lang: 'zh', categoryPrefix: ['售后'] } },
      ];
      const start = fake.requests.length;
      for (const query of queries) expect(comparable(await store.search(query, 1))).toEqual(comparable(await embedded.search(query, 1)));
      // The queries were chosen so that some dense hits needed their sparse score looked up.
      expect(requestsSince(start).some((request) => JSON.stringify(request.body).includes('has_id'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends the api key as the api-key header', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new QdrantVectorStore({ url: fake.url, apiKey: 'test-key', prefix: 'kb_key' });
    await store.listVersions();
    expect(fake.requests.at(-1)?.headers['api-key']).toBe('test-key');
    warn.mockRestore();
  });
});

/** Scores rounded to what float32 keeps; ties ordered by id (neither engine orders ties). */
function comparable(hits: SearchHit[]) {
  const round = (value: number | undefined) => (value === undefined ? undefined : Number(value.toPrecision(5)));
  return hits
    .map((hit) => ({ ...hit, score: round(hit.score), sparseScore: round(hit.sparseScore), denseScore: round(hit.denseScore), retrievers: [...hit.retrievers].sort() }))
    .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.pointId.localeCompare(b.pointId));
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}
