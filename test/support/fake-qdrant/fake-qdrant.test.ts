import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeQdrant, type FakeQdrant } from './fake-qdrant-server.js';

let fake: FakeQdrant;
let client: QdrantClient;
beforeAll(async () => {
  fake = await startFakeQdrant();
  client = new QdrantClient({ url: fake.url, checkCompatibility: false });
});
afterAll(async () => {
  await fake.close();
});

const send = (method: string, path: string, body?: unknown) =>
  fetch(`${fake.url}${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });

describe('fake qdrant', () => {
  it('answers an off-spec request with 400 and records it', async () => {
    const before = fake.violations.length;
    const response = await send('PUT', '/collections/bad?timeout=soon', { vectors: { dense: { size: 'big', distance: 'Cosine' } } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).status.error).toMatch(/body\/vectors\/dense\/size must be integer/);
    expect((await send('POST', '/collections/aliases', { actions: [{ create_alias: { alias_name: 'x' } }] })).status).toBe(400);
    expect((await send('GET', '/no/such/operation')).status).toBe(404);
    const recorded = fake.violations.splice(before);
    expect(recorded.map((violation) => violation.operationId)).toEqual(['create_collection', 'update_aliases', undefined]);
    expect(recorded[0]?.errors).toContain('query parameter timeout=soon is invalid');
    expect(await client.collectionExists('bad')).toEqual({ exists: false });
  });

  it('reports the version the client checks, unwrapped', async () => {
    expect(await client.versionInfo()).toMatchObject({ title: 'qdrant - vector search engine', version: '1.18.0' });
  });

  it('keeps Qdrant’s alias rules', async () => {
    await client.createCollection('one', { sparse_vectors: { sparse: {} } });
    await client.createCollection('two', { sparse_vectors: { sparse: {} } });
    // Deleting a missing alias is a no-op, so the first switch uses the same two actions.
    await client.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: 'live' } }, { create_alias: { collection_name: 'one', alias_name: 'live' } }] });
    expect((await client.getAliases()).aliases).toEqual([{ alias_name: 'live', collection_name: 'one' }]);
    await expect(client.updateCollectionAliases({ actions: [{ create_alias: { collection_name: 'missing', alias_name: 'live' } }] })).rejects.toMatchObject({ status: 404 });
    await expect(client.updateCollectionAliases({ actions: [{ create_alias: { collection_name: 'one', alias_name: 'two' } }] })).rejects.toMatchObject({ status: 409 });
    await client.updateCollectionAliases({ actions: [{ create_alias: { collection_name: 'two', alias_name: 'live' } }] });
    expect((await client.getCollectionAliases('two')).aliases).toEqual([{ alias_name: 'live', collection_name: 'two' }]);
    expect(await client.deleteCollection('two')).toBe(true);
    expect((await client.getAliases()).aliases).toEqual([]);
    expect(await client.deleteCollection('two')).toBe(false);
    await client.deleteCollection('one');
  });

  it('rejects sparse vectors Qdrant would refuse, and unknown vector names', async () => {
    await client.createCollection('vectors', { vectors: { dense: { size: 2, distance: 'Cosine' } }, sparse_vectors: { sparse: { modifier: 'idf' } } });
    const upsert = (vector: Record<string, unknown>) => client.upsert('vectors', { wait: true, points: [{ id: 1, vector: vector as any }] });
    await expect(upsert({ sparse: { indices: [1, 1], values: [1, 2] } })).rejects.toMatchObject({ status: 422 });
    await expect(upsert({ sparse: { indices: [1, 2], values: [1] } })).rejects.toMatchObject({ status: 422 });
    await expect(upsert({ dense: [1, 2, 3] })).rejects.toMatchObject({ status: 400, data: { status: { error: 'Wrong input: Vector dimension error: expected dim: 2, got 3' } } });
    await expect(upsert({ other: [1, 2] })).rejects.toMatchObject({ status: 400 });
    await client.deleteCollection('vectors');
  });

  it('goes down and comes back with its data', async () => {
    await client.createCollection('durable', { sparse_vectors: { sparse: {} } });
    await fake.down();
    await expect(client.getCollections()).rejects.toMatchObject({ cause: { code: expect.stringMatching(/^(ECONNREFUSED|UND_ERR_SOCKET)$/) } });
    await fake.up();
    expect((await client.getCollections()).collections).toEqual([{ name: 'durable' }]);
    fake.failNext(502, 2);
    await expect(client.getCollections()).rejects.toMatchObject({ status: 502 });
    await expect(client.getCollections()).rejects.toMatchObject({ status: 502 });
    expect((await client.getCollections()).collections).toHaveLength(1);
    await client.deleteCollection('durable');
  });

  it('received nothing else off-spec, and answered only with documented shapes', () => {
    expect(fake.violations).toEqual([]);
    expect(fake.responseViolations).toEqual([]);
  });
});
