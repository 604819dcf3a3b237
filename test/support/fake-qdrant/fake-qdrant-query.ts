/**
 * @module The Query API of the fake Qdrant: filters, nearest search on dense (cosine) and sparse
 * vectors (with the `idf` modifier computed at query time), prefetch and RRF fusion, scored the
 * way `lib/segment` does, so adapter tests can assert exact scores.
 */
import type { Schemas } from '@qdrant/js-client-rest';
import { FakeQdrantError, FakeQdrantUnsupportedError, pointKey, type FakeCollection, type StoredPoint } from './fake-qdrant-state.js';

type QueryRequest = Schemas['QueryRequest'];
type Filter = Schemas['Filter'];
type PayloadSelector = boolean | string[] | { include: string[] } | { exclude: string[] } | null | undefined;
interface Scored {
  point: StoredPoint;
  score: number;
}

/** Runs one `POST /collections/{name}/points/query` body against a collection. */
export function runQuery(collection: FakeCollection, request: QueryRequest, options: { requirePayloadIndexes: boolean }): Schemas['ScoredPoint'][] {
  const scored = execute(collection, request, undefined, options);
  const offset = request.offset ?? 0;
  return scored.slice(offset, offset + (request.limit ?? 10)).map(({ point, score }) => ({
    id: point.id,
    version: point.version,
    score,
    ...withPayload(point, request.with_payload as PayloadSelector),
  }));
}

function execute(collection: FakeCollection, request: QueryRequest | Schemas['Prefetch'], outer: Filter | undefined, options: { requirePayloadIndexes: boolean }): Scored[] {
  // A top-level filter is propagated into every prefetch (planned_query.rs).
  const filter = mergeFilters(outer, request.filter ?? undefined);
  if (filter && options.requirePayloadIndexes) requireIndexes(collection, filter);
  const prefetch = request.prefetch ?? [];
  const lists = (Array.isArray(prefetch) ? prefetch : [prefetch]).map((sub) => execute(collection, sub, filter, options));
  const limit = (request.limit ?? 10) + ('offset' in request ? (request.offset ?? 0) : 0);
  const query = request.query;
  if (query === undefined || query === null) throw new FakeQdrantUnsupportedError('queries without `query` (scroll order)');
  let scored: Scored[];
  if (typeof query === 'object' && !Array.isArray(query) && ('fusion' in query || 'rrf' in query)) {
    if (lists.length === 0) throw new FakeQdrantError(400, 'Wrong input: Fusion queries need prefetches');
    if ('fusion' in query && query.fusion !== 'rrf') throw new FakeQdrantUnsupportedError(`fusion ${query.fusion}`);
    const rrf = ('rrf' in query ? query.rrf : {}) as Schemas['Rrf'];
    scored = reciprocalRankFusion(lists, rrf.k ?? 2, rrf.weights ?? undefined);
  } else {
    const vector = typeof query === 'object' && !Array.isArray(query) && 'nearest' in query ? query.nearest : query;
    const pool = lists.length > 0 ? unique(lists.flat().map((item) => item.point)) : [...collection.points.values()].filter((point) => matches(point, filter));
    scored = nearest(collection, pool, vector, request.using ?? '');
  }
  const threshold = request.score_threshold ?? undefined;
  return scored.filter((item) => threshold === undefined || item.score >= threshold).slice(0, limit);
}

function nearest(collection: FakeCollection, pool: StoredPoint[], vector: unknown, using: string): Scored[] {
  const sort = (items: Scored[]) => items.sort((a, b) => b.score - a.score);
  if (Array.isArray(vector) && vector.every((value) => typeof value === 'number')) {
    const config = collection.dense.get(using);
    if (!config) throw new FakeQdrantError(400, `Wrong input: Not existing vector name error: ${using}`);
    if (vector.length !== config.size) throw new FakeQdrantError(400, `Wrong input: Vector dimension error: expected dim: ${config.size}, got ${vector.length}`);
    if (config.distance !== 'Cosine' && config.distance !== 'Dot') throw new FakeQdrantUnsupportedError(`distance ${config.distance}`);
    const query = config.distance === 'Cosine' ? unit(vector) : vector;
    return sort(pool.flatMap((point) => {
      const stored = point.dense.get(using);
      return stored ? [{ point, score: Math.fround(stored.reduce((sum, value, at) => sum + value * (query[at] ?? 0), 0)) }] : [];
    }));
  }
  if (vector !== null && typeof vector === 'object' && 'indices' in vector && 'values' in vector) {
    const config = collection.sparse.get(using);
    if (!config) throw new FakeQdrantError(400, `Wrong input: Not existing vector name error: ${using}`);
    const { indices, values } = vector as { indices: number[]; values: number[] };
    const weights = new Map(indices.map((term, at) => [term, (values[at] ?? 0) * (config.modifier === 'idf' ? idf(collection, using, term) : 1)]));
    return sort(pool.flatMap((point) => {
      const stored = point.sparse.get(using);
      if (!stored || !stored.indices.some((term) => weights.has(term))) return [];
      const score = stored.indices.reduce((sum, term, at) => sum + (weights.get(term) ?? 0) * (stored.values[at] ?? 0), 0);
      return [{ point, score: Math.fround(score) }];
    }));
  }
  throw new FakeQdrantUnsupportedError('this kind of query (recommend, discover, formula, by id, multivector, inference)');
}

/** `ln((N - df + 0.5) / (df + 0.5) + 1)` over the whole collection, ignoring filters (query_context.rs). */
function idf(collection: FakeCollection, using: string, term: number): number {
  let total = 0;
  let df = 0;
  for (const point of collection.points.values()) {
    const vector = point.sparse.get(using);
    if (!vector) continue;
    total += 1;
    if (vector.indices.includes(term)) df += 1;
  }
  return Math.log((total - df + 0.5) / (df + 0.5) + 1);
}

/** Each list adds `1 / ((rank + 1) / weight + k - 1)`; sums are sorted descending (reciprocal_rank_fusion.rs). */
function reciprocalRankFusion(lists: Scored[][], k: number, weights: number[] | undefined): Scored[] {
  if (weights && weights.length !== lists.length) throw new FakeQdrantError(400, 'Wrong input: the number of RRF weights must match the number of prefetches');
  const fused = new Map<string, Scored>();
  lists.forEach((list, source) => {
    const weight = weights?.[source] ?? 1;
    list.forEach(({ point }, rank) => {
      const key = pointKey(point.id);
      const entry = fused.get(key) ?? { point, score: 0 };
      entry.score += 1 / ((rank + 1) / weight + k - 1);
      fused.set(key, entry);
    });
  });
  return [...fused.values()].map(({ point, score }) => ({ point, score: Math.fround(score) })).sort((a, b) => b.score - a.score);
}

/** True when the point satisfies `filter` (must: all, should: any, must_not: none). */
export function matches(point: StoredPoint, filter: Filter | undefined): boolean {
  if (!filter) return true;
  if (filter.min_should) throw new FakeQdrantUnsupportedError('min_should');
  const list = (value: Filter['must']) => (value === undefined || value === null ? undefined : Array.isArray(value) ? value : [value]);
  const must = list(filter.must);
  const should = list(filter.should);
  const mustNot = list(filter.must_not);
  return (
    (must?.every((condition) => satisfies(point, condition)) ?? true) &&
    (should === undefined || should.length === 0 || should.some((condition) => satisfies(point, condition))) &&
    !(mustNot?.some((condition) => satisfies(point, condition)) ?? false)
  );
}

function satisfies(point: StoredPoint, condition: Schemas['Condition']): boolean {
  if ('has_id' in condition) return condition.has_id.some((id) => pointKey(id) === pointKey(point.id));
  if ('must' in condition || 'should' in condition || 'must_not' in condition) return matches(point, condition as Filter);
  if (!('key' in condition) || !condition.match) throw new FakeQdrantUnsupportedError(`the condition ${JSON.stringify(condition)}`);
  const value = point.payload[condition.key];
  const values = value === undefined || value === null ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
  const match = condition.match;
  if ('value' in match) return values.includes(match.value);
  if ('any' in match) return values.some((item) => (match.any as unknown[]).includes(item));
  if ('except' in match) return !values.some((item) => (match.except as unknown[]).includes(item));
  throw new FakeQdrantUnsupportedError(`the match ${JSON.stringify(match)}`);
}

/** Qdrant's strict mode (on by default in Qdrant Cloud) refuses filters on fields without an index. */
function requireIndexes(collection: FakeCollection, filter: Filter): void {
  const conditions = [filter.must, filter.should, filter.must_not].flatMap((value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]));
  for (const condition of conditions) {
    if ('key' in condition && typeof condition.key === 'string' && !collection.indexes.has(condition.key)) {
      throw new FakeQdrantError(400, `Bad request: Index required but not found for "${condition.key}" of one of the following types: [keyword]. Help: Create an index for this key or use a different filter.`);
    }
    if ('must' in condition || 'should' in condition || 'must_not' in condition) requireIndexes(collection, condition as Filter);
  }
}

function mergeFilters(outer: Filter | undefined, inner: Filter | undefined): Filter | undefined {
  if (!outer || !inner) return outer ?? inner;
  return { must: [outer, inner] };
}

function withPayload(point: StoredPoint, selector: PayloadSelector): { payload?: Record<string, unknown> } {
  if (selector === undefined || selector === null || selector === false) return {};
  if (selector === true) return { payload: point.payload };
  const pick = (keys: string[], keep: boolean) => Object.fromEntries(Object.entries(point.payload).filter(([key]) => keys.includes(key) === keep));
  if (Array.isArray(selector)) return { payload: pick(selector, true) };
  if ('include' in selector) return { payload: pick(selector.include, true) };
  if ('exclude' in selector) return { payload: pick(selector.exclude, false) };
  throw new FakeQdrantUnsupportedError('this payload selector');
}

function unique(points: StoredPoint[]): StoredPoint[] {
  return [...new Map(points.map((point) => [pointKey(point.id), point])).values()];
}

function unit(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0 ? vector : vector.map((value) => value / norm);
}
