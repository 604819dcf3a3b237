/**
 * @module The Qdrant adapter of the vector-store port. Each KB version is one collection
 * `<prefix>_v<N>` with a named sparse vector `sparse` (`modifier: idf`) and, with embeddings, a
 * named dense vector `dense` (cosine); the alias `<prefix>_live` names the live version and is
 * switched in one atomic request. Hybrid search is the Query API's `prefetch` + `fusion: rrf`.
 *
 * @example
 * const store = new QdrantVectorStore({ url: 'http://qdrant:6333', apiKey: process.env.QDRANT_API_KEY });
 * await store.createVersion(7, points, { denseSize: 1536 });
 * await store.setLive(7);
 */
import { QdrantClient, type Schemas } from '@qdrant/js-client-rest';
import { z } from 'zod';
import { VectorStoreUnavailableError } from '../errors.js';
import { describeQdrantFailure } from './qdrant-errors.js';
import { pointUuid } from './qdrant-point-id.js';
import type { IndexPoint, SearchHit, SearchQuery, VectorStore } from './vector-store.js';

export interface QdrantVectorStoreOptions {
  /** Base URL of the REST API, e.g. `http://qdrant:6333` (env `QDRANT_URL`). Also named in errors. */
  url: string;
  /** Sent as the `api-key` header (env `QDRANT_API_KEY`); leave unset for an open server. */
  apiKey?: string | undefined;
  /** Collections are `<prefix>_v<N>`, the live alias `<prefix>_live`. Default `kefu_kb`. */
  prefix?: string | undefined;
  /** A ready client (tests, custom transport); `apiKey` and `timeoutMs` are then ignored. */
  client?: QdrantClient | undefined;
  /** Per-request timeout in milliseconds. Default 30 000. */
  timeoutMs?: number | undefined;
}

/** Points per upsert request: big enough to be fast, small enough for Qdrant's 32 MB body limit. */
const UPSERT_BATCH = 256;
/** Keyword indexes: `lang` and `category_prefixes` back the port's filters, the rest operators' queries. */
const INDEXED_FIELDS = ['entry_id', 'lang', 'category', 'category_prefixes', 'tags'] as const;
const RETURNED_FIELDS = ['point_id', 'entry_id'];

// Only the fields this adapter reads, so other changes in Qdrant's answers do not break it.
const hitPayloadSchema = z.object({ point_id: z.string(), entry_id: z.string() });
const scoredPointsSchema = z.object({ points: z.array(z.object({ score: z.number(), payload: hitPayloadSchema })) });
const collectionInfoSchema = z.object({ config: z.object({ params: z.object({ vectors: z.object({ dense: z.object({ size: z.number() }).optional() }).optional() }) }) });

/** The vector-store port on a Qdrant server (1.10 or later: the Query API). */
export class QdrantVectorStore implements VectorStore {
  private readonly client: QdrantClient;
  private readonly url: string;
  private readonly prefix: string;
  private readonly alias: string;
  /** Dense size per collection: versions are immutable, so it is cached until this store rebuilds or deletes one. */
  private readonly denseSizes = new Map<string, number | undefined>();

  constructor(options: QdrantVectorStoreOptions) {
    this.url = options.url;
    this.prefix = options.prefix ?? 'kefu_kb';
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(this.prefix)) throw new Error(`Qdrant collection prefix "${this.prefix}" may use only letters, digits, "_" and "-"`);
    this.alias = `${this.prefix}_live`;
    // checkCompatibility would fire an unawaited GET / at construction and warn on the console.
    this.client =
      options.client ??
      new QdrantClient({ url: options.url, checkCompatibility: false, timeout: options.timeoutMs ?? 30_000, ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
  }

  async createVersion(version: number, points: IndexPoint[], options: { denseSize?: number }): Promise<void> {
    const denseSize = options.denseSize ?? points.find((point) => point.dense)?.dense?.length;
    for (const point of points) {
      if (point.dense && point.dense.length !== denseSize) throw dimensionError(`point ${point.id} has dimension ${point.dense.length}`, denseSize);
    }
    const name = this.collectionOf(version);
    this.denseSizes.delete(name);
    if ((await this.call(`check collection ${name}`, (client) => client.collectionExists(name))).exists) {
      // A killed publish leaves a half-built collection; rebuilding the live one would take search down.
      if ((await this.liveVersion()) === version) throw new VectorStoreUnavailableError(`version ${version} is live in Qdrant; build a new version instead of rebuilding it`);
      await this.call(`delete half-built collection ${name}`, (client) => client.deleteCollection(name));
    }
    await this.call(`create collection ${name}`, (client) =>
      client.createCollection(name, {
        ...(denseSize !== undefined ? { vectors: { dense: { size: denseSize, distance: 'Cosine' } } } : {}),
        sparse_vectors: { sparse: { modifier: 'idf' } },
      }),
    );
    for (const field of INDEXED_FIELDS) {
      await this.call(`index ${field} of ${name}`, (client) => client.createPayloadIndex(name, { field_name: field, field_schema: 'keyword', wait: true }));
    }
    const configured = await this.denseSizeOf(name);
    if (configured !== denseSize) throw dimensionError(`collection ${name} was created with dense size ${configured ?? 'none'}`, denseSize);
    for (let start = 0; start < points.length; start += UPSERT_BATCH) {
      const batch = points.slice(start, start + UPSERT_BATCH).map(toQdrantPoint);
      await this.call(`upload points ${start + 1}-${start + batch.length} to ${name}`, (client) => client.upsert(name, { wait: true, points: batch }));
    }
  }

  async setLive(version: number): Promise<void> {
    const name = this.collectionOf(version);
    // Qdrant applies alias actions one by one: a failing create_alias would leave the alias deleted.
    if (!(await this.call(`check collection ${name}`, (client) => client.collectionExists(name))).exists) {
      throw new VectorStoreUnavailableError(`version ${version} does not exist in Qdrant (no collection ${name}); the live alias was left as it was`);
    }
    await this.call(`switch ${this.alias} to ${name}`, (client) =>
      client.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: this.alias } }, { create_alias: { collection_name: name, alias_name: this.alias } }] }),
    );
  }

  async liveVersion(): Promise<number | undefined> {
    const { aliases } = await this.call('read aliases', (client) => client.getAliases());
    const target = aliases.find((alias) => alias.alias_name === this.alias)?.collection_name;
    if (target === undefined) return undefined;
    const version = this.versionOf(target);
    if (version === undefined) throw new VectorStoreUnavailableError(`Qdrant alias ${this.alias} points at ${target}, which is not a ${this.prefix} version`);
    return version;
  }

  async search(query: SearchQuery, version?: number): Promise<SearchHit[]> {
    const target = version ?? (await this.liveVersion());
    if (target === undefined || query.limit < 1) return [];
    const name = this.collectionOf(target);
    const filter = toFilter(query.filter);
    const sparse = { query: query.sparse, using: 'sparse', limit: query.limit, with_payload: RETURNED_FIELDS, ...filter };
    const denseSize = query.dense ? await this.denseSizeOf(name) : undefined;
    if (!query.dense || denseSize === undefined) {
      // Like the embedded index: without dense vectors in the version, search is sparse only.
      const { points } = await this.parsed(`search ${name}`, scoredPointsSchema, (client) => client.query(name, sparse));
      return points.map((point) => hit(point.payload, point.score, point.score, undefined));
    }
    if (query.dense.length !== denseSize) throw dimensionError(`the dense query has dimension ${query.dense.length}`, denseSize, name);
    const dense = { query: query.dense, using: 'dense', limit: query.limit, with_payload: RETURNED_FIELDS, ...filter };
    // Each prefetch keeps exactly `limit` points, as the embedded index ranks, so both fuse alike.
    const fused = {
      prefetch: [{ query: query.sparse, using: 'sparse', limit: query.limit }, { query: query.dense, using: 'dense', limit: query.limit }],
      query: { fusion: 'rrf' as const },
      limit: query.limit,
      with_payload: RETURNED_FIELDS,
      ...filter,
    };
    // Qdrant returns only the fused score: the two prefetches also run as queries of their own.
    const answers = await this.parsed(`search ${name}`, z.array(scoredPointsSchema).length(3), (client) => client.queryBatch(name, { searches: [fused, sparse, dense] }));
    const [fusedHits, sparseHits, denseHits] = answers.map((answer) => answer.points);
    const sparseScores = new Map((sparseHits ?? []).map((point) => [point.payload.point_id, point.score]));
    const denseScores = new Map((denseHits ?? []).map((point) => [point.payload.point_id, point.score]));
    const missing = (fusedHits ?? []).map((point) => point.payload.point_id).filter((id) => !sparseScores.has(id));
    if (missing.length > 0) {
      // Found by dense but ranked below `limit` by sparse: the port still wants their BM25 score.
      const rescored = { query: query.sparse, using: 'sparse', limit: missing.length, with_payload: RETURNED_FIELDS, filter: { must: [{ has_id: missing.map(pointUuid) }] } };
      const { points } = await this.parsed(`search ${name}`, scoredPointsSchema, (client) => client.query(name, rescored));
      for (const point of points) sparseScores.set(point.payload.point_id, point.score);
    }
    return (fusedHits ?? []).map((point) => hit(point.payload, point.score, sparseScores.get(point.payload.point_id) ?? 0, denseScores.get(point.payload.point_id)));
  }

  async deleteVersion(version: number): Promise<void> {
    const name = this.collectionOf(version);
    this.denseSizes.delete(name);
    // Qdrant also deletes the collection's aliases; deleting a missing collection is a no-op.
    await this.call(`delete collection ${name}`, (client) => client.deleteCollection(name));
  }

  async listVersions(): Promise<number[]> {
    const { collections } = await this.call('list collections', (client) => client.getCollections());
    return collections
      .map((collection) => this.versionOf(collection.name))
      .filter((version): version is number => version !== undefined)
      .sort((a, b) => a - b);
  }

  private collectionOf(version: number): string {
    return `${this.prefix}_v${version}`;
  }

  private versionOf(collection: string): number | undefined {
    const digits = collection.startsWith(`${this.prefix}_v`) ? collection.slice(this.prefix.length + 2) : '';
    return /^\d+$/.test(digits) ? Number(digits) : undefined;
  }

  private async denseSizeOf(name: string): Promise<number | undefined> {
    if (this.denseSizes.has(name)) return this.denseSizes.get(name);
    const info = await this.parsed(`read collection ${name}`, collectionInfoSchema, (client) => client.getCollection(name));
    const size = info.config.params.vectors?.dense?.size;
    this.denseSizes.set(name, size);
    return size;
  }

  /** Like `call`, and checks the fields this adapter reads (a Qdrant answer is a boundary). */
  private async parsed<T>(action: string, schema: z.ZodType<T>, request: (client: QdrantClient) => Promise<unknown>): Promise<T> {
    const result = schema.safeParse(await this.call(action, request));
    if (!result.success) throw new VectorStoreUnavailableError(`Qdrant at ${this.url} gave an unexpected answer; could not ${action}`, { cause: result.error });
    return result.data;
  }

  private async call<T>(action: string, request: (client: QdrantClient) => Promise<T>): Promise<T> {
    try {
      return await request(this.client);
    } catch (error) {
      throw new VectorStoreUnavailableError(describeQdrantFailure(error, action, this.url), { cause: error });
    }
  }
}

function toQdrantPoint(point: IndexPoint): Schemas['PointStruct'] {
  const category = point.category;
  return {
    id: pointUuid(point.id),
    vector: { sparse: point.sparse, ...(point.dense ? { dense: point.dense } : {}) },
    payload: {
      point_id: point.id,
      entry_id: point.entryId,
      ...(point.lang !== undefined ? { lang: point.lang } : {}),
      category,
      category_path: category.join('/'),
      // Every leading path (`售后`, `售后/退换货`): an exact keyword match then filters by prefix.
      category_prefixes: category.map((_, at) => category.slice(0, at + 1).join('/')),
      tags: point.tags,
    },
  };
}

function toFilter(filter: SearchQuery['filter']): { filter?: Schemas['Filter'] } {
  const must: Schemas['FieldCondition'][] = [];
  if (filter?.lang !== undefined) must.push({ key: 'lang', match: { value: filter.lang } });
  if (filter?.categoryPrefix !== undefined && filter.categoryPrefix.length > 0) {
    must.push({ key: 'category_prefixes', match: { value: filter.categoryPrefix.join('/') } });
  }
  return must.length > 0 ? { filter: { must } } : {};
}

function hit(payload: z.infer<typeof hitPayloadSchema>, score: number, sparseScore: number, denseScore: number | undefined): SearchHit {
  const retrievers: SearchHit['retrievers'] = [];
  if (sparseScore > 0) retrievers.push('sparse');
  if (denseScore !== undefined) retrievers.push('dense');
  return { pointId: payload.point_id, entryId: payload.entry_id, score, sparseScore, ...(denseScore !== undefined ? { denseScore } : {}), retrievers };
}

function dimensionError(what: string, expected: number | undefined, collection?: string): VectorStoreUnavailableError {
  const where = collection ? `collection ${collection}` : 'the version';
  return new VectorStoreUnavailableError(`vector dimension mismatch: ${what}, ${where} expects ${expected ?? 'no dense vectors'}`);
}
