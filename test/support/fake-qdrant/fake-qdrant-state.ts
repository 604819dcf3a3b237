/**
 * @module The in-memory data of the fake Qdrant: collections, points, payload indexes and aliases,
 * with the real server's rules and error texts (`lib/storage/src/content_manager/toc/*.rs`).
 */
import type { Schemas } from '@qdrant/js-client-rest';

/** A failure the real server would answer with `status` and `{"status":{"error": message}}`. */
export class FakeQdrantError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A feature the fake does not emulate: answered with 501 and reported, never silently ignored. */
export class FakeQdrantUnsupportedError extends FakeQdrantError {
  constructor(feature: string) {
    super(501, `fake-qdrant does not implement ${feature}`);
  }
}

export interface StoredPoint {
  id: string | number;
  dense: Map<string, number[]>;
  sparse: Map<string, { indices: number[]; values: number[] }>;
  payload: Record<string, unknown>;
  version: number;
}

export interface FakeCollection {
  name: string;
  /** Dense vectors by name; `''` is the unnamed single vector. */
  dense: Map<string, { size: number; distance: string }>;
  sparse: Map<string, { modifier: 'none' | 'idf' }>;
  /** The `vectors` and `sparse_vectors` configs as created, echoed by `get_collection`. */
  vectorsConfig: Schemas['VectorsConfig'];
  sparseConfig: Record<string, Schemas['SparseVectorParams']>;
  /** Payload index data type by field name. */
  indexes: Map<string, Schemas['PayloadSchemaType']>;
  points: Map<string, StoredPoint>;
}

const notFound = (name: string) => new FakeQdrantError(404, `Not found: Collection \`${name}\` doesn't exist!`);

/** Point ids as Qdrant keys them: UUIDs in lower-case hyphenated form, integers as they are. */
export function pointKey(id: string | number): string {
  return typeof id === 'number' ? String(id) : id.toLowerCase();
}

export class FakeQdrantState {
  readonly collections = new Map<string, FakeCollection>();
  /** alias name → collection name. */
  readonly aliases = new Map<string, string>();
  private operations = 0;

  /** A collection by its own name or through an alias, as every data operation resolves it. */
  resolve(name: string): FakeCollection {
    const collection = this.collections.get(this.aliases.get(name) ?? name);
    if (!collection) throw notFound(name);
    return collection;
  }

  createCollection(name: string, body: Schemas['CreateCollection']): void {
    if (this.collections.has(name) || this.aliases.has(name)) throw new FakeQdrantError(409, `Wrong input: Collection \`${name}\` already exists!`);
    const vectors = body.vectors ?? {};
    const dense = new Map<string, { size: number; distance: string }>();
    if ('size' in vectors && typeof vectors.size === 'number') dense.set('', { size: vectors.size, distance: String(vectors.distance) });
    else for (const [vectorName, params] of Object.entries(vectors as Record<string, Schemas['VectorParams']>)) dense.set(vectorName, { size: params.size, distance: params.distance });
    const sparseConfig = (body.sparse_vectors ?? {}) as Record<string, Schemas['SparseVectorParams']>;
    const sparse = new Map(Object.entries(sparseConfig).map(([vectorName, params]) => [vectorName, { modifier: params.modifier === 'idf' ? ('idf' as const) : ('none' as const) }]));
    this.collections.set(name, { name, dense, sparse, vectorsConfig: vectors, sparseConfig, indexes: new Map(), points: new Map() });
  }

  /** Deletes the collection itself (never through an alias) and every alias pointing at it. */
  deleteCollection(name: string): boolean {
    for (const [alias, target] of this.aliases) if (target === name) this.aliases.delete(alias);
    return this.collections.delete(name);
  }

  createIndex(name: string, body: Schemas['CreateFieldIndex']): number {
    const collection = this.resolve(name);
    const schema = body.field_schema;
    if (schema === undefined || schema === null) throw new FakeQdrantUnsupportedError('payload indexes without field_schema');
    collection.indexes.set(body.field_name, (typeof schema === 'string' ? schema : schema.type) as Schemas['PayloadSchemaType']);
    return (this.operations += 1);
  }

  upsert(name: string, body: Schemas['PointInsertOperations']): number {
    const collection = this.resolve(name);
    if (!('points' in body)) throw new FakeQdrantUnsupportedError('the batch form of upsert');
    const version = (this.operations += 1);
    const stored = body.points.map((point, at) => this.toStored(collection, point, at, version));
    for (const point of stored) collection.points.set(pointKey(point.id), point);
    return version;
  }

  /** Applies the actions in order under one lock, like the server: readers never see a half-switch. */
  updateAliases(body: Schemas['ChangeAliasesOperation']): void {
    for (const action of body.actions) {
      if ('create_alias' in action) {
        const { alias_name: alias, collection_name: target } = action.create_alias;
        if (!this.collections.has(target)) throw notFound(target);
        if (this.collections.has(alias)) throw new FakeQdrantError(409, `Wrong input: Collection \`${alias}\` already exists!`);
        this.aliases.set(alias, target);
      } else if ('delete_alias' in action) {
        // Deleting an alias that does not exist is a no-op (alias_mapping.rs `remove`).
        this.aliases.delete(action.delete_alias.alias_name);
      } else {
        const { old_alias_name: from, new_alias_name: to } = action.rename_alias;
        const target = this.aliases.get(from);
        if (target === undefined) throw new FakeQdrantError(404, `Not found: Alias ${from} does not exists!`);
        this.aliases.delete(from);
        this.aliases.set(to, target);
      }
    }
  }

  aliasesOf(collectionName?: string): Array<{ alias_name: string; collection_name: string }> {
    return [...this.aliases]
      .filter(([, target]) => collectionName === undefined || target === collectionName)
      .map(([alias, target]) => ({ alias_name: alias, collection_name: target }));
  }

  /** The `CollectionInfo` the real server reports, with the defaults of a single node. */
  describe(name: string): Schemas['CollectionInfo'] {
    const collection = this.resolve(name);
    const points = [...collection.points.values()];
    const payloadSchema = Object.fromEntries(
      [...collection.indexes].map(([field, type]) => [field, { data_type: type, points: points.filter((point) => point.payload[field] !== undefined).length }]),
    );
    return {
      status: 'green',
      optimizer_status: 'ok',
      indexed_vectors_count: 0,
      points_count: points.length,
      segments_count: 1,
      config: {
        params: { vectors: collection.vectorsConfig, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true, sparse_vectors: collection.sparseConfig },
        hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0, on_disk: false },
        optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
        wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
        quantization_config: null,
      },
      payload_schema: payloadSchema,
    };
  }

  private toStored(collection: FakeCollection, point: Schemas['PointStruct'], at: number, version: number): StoredPoint {
    const stored: StoredPoint = { id: point.id, dense: new Map(), sparse: new Map(), payload: { ...(point.payload ?? {}) }, version };
    const vector = point.vector;
    const named: Record<string, unknown> = Array.isArray(vector) ? { '': vector } : (vector as Record<string, unknown>);
    for (const [vectorName, value] of Object.entries(named)) {
      if (Array.isArray(value) && value.every((item) => typeof item === 'number')) {
        const config = collection.dense.get(vectorName);
        if (!config) throw new FakeQdrantError(400, `Wrong input: Not existing vector name error: ${vectorName}`);
        if (value.length !== config.size) throw new FakeQdrantError(400, `Wrong input: Vector dimension error: expected dim: ${config.size}, got ${value.length}`);
        // Cosine collections store unit vectors; Qdrant keeps float32.
        stored.dense.set(vectorName, (config.distance === 'Cosine' ? normalize(value) : value).map(Math.fround));
      } else if (value !== null && typeof value === 'object' && 'indices' in value && 'values' in value) {
        if (!collection.sparse.has(vectorName)) throw new FakeQdrantError(400, `Wrong input: Not existing vector name error: ${vectorName}`);
        const { indices, values } = value as { indices: number[]; values: number[] };
        const where = `points[${at}].vector.${vectorName}`;
        if (indices.length !== values.length) throw new FakeQdrantError(422, `Validation error in JSON body: [${where}: must be the same length as indices]`);
        if (new Set(indices).size !== indices.length) throw new FakeQdrantError(422, `Validation error in JSON body: [${where}: indices must be unique]`);
        stored.sparse.set(vectorName, { indices: [...indices], values: values.map(Math.fround) });
      } else {
        throw new FakeQdrantUnsupportedError(`vector ${JSON.stringify(vectorName)} of this shape (multivector or inference object)`);
      }
    }
    return stored;
  }
}

function normalize(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}
