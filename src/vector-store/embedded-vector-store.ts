import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { VectorStoreUnavailableError } from '../errors.js';
import { idf } from '../text/bm25.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { pointsFileText, readPointsFile } from './points-file.js';
import { reciprocalRankFusion, topK } from './rrf.js';
import type { IndexPoint, SearchHit, SearchQuery, VectorStore } from './vector-store.js';

const liveFileSchema = z.object({ version: z.number().int().positive() });

/** What a loaded version keeps of a point: its payload, not its sparse vector (that lives in the postings). */
interface PointMeta {
  id: string;
  entryId: string;
  lang: string | undefined;
  category: string[];
  dense: Float64Array | undefined;
}

/** One term's postings: the points that hold it, its weight in each, and its idf in this version. */
interface Postings {
  points: Int32Array;
  values: Float64Array;
  idf: number;
}

/** One version loaded for searching. */
interface LoadedIndex {
  points: PointMeta[];
  postings: Map<number, Postings>;
  /** Scratch space for one search (searches run synchronously, one at a time): scores, a touched mark, the touched list. */
  scores: Float64Array;
  touched: Uint8Array;
  hits: Int32Array;
  hasDense: boolean;
}

/**
 * The in-process, exact index: each version is a JSON file under `dir`, the live version a small
 * pointer file replaced atomically. Scoring follows Qdrant's sparse `idf` modifier and RRF fusion,
 * so a KB ranks the same here and on Qdrant.
 */
export class EmbeddedVectorStore implements VectorStore {
  private readonly loaded = new Map<number, Promise<LoadedIndex>>();

  constructor(private readonly dir: string) {}

  private fileOf(version: number): string {
    return path.join(this.dir, `v${String(version).padStart(4, '0')}.points.json`);
  }

  async createVersion(version: number, points: IndexPoint[], options: { denseSize?: number }): Promise<void> {
    for (const point of points) {
      if (options.denseSize !== undefined && point.dense && point.dense.length !== options.denseSize) {
        throw new VectorStoreUnavailableError(`point ${point.id} has dimension ${point.dense.length}, the collection expects ${options.denseSize}`);
      }
    }
    await writeFileAtomic(this.fileOf(version), pointsFileText({ version, ...(options.denseSize !== undefined ? { denseSize: options.denseSize } : {}) }, points));
    this.loaded.delete(version);
  }

  async setLive(version: number): Promise<void> {
    await this.load(version);
    await writeFileAtomic(path.join(this.dir, 'live.json'), JSON.stringify({ version }));
  }

  async liveVersion(): Promise<number | undefined> {
    const file = path.join(this.dir, 'live.json');
    if (!existsSync(file)) return undefined;
    try {
      return liveFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).version;
    } catch (error) {
      throw new VectorStoreUnavailableError('the live pointer of the embedded index is corrupt', { cause: error });
    }
  }

  async search(query: SearchQuery, version?: number): Promise<SearchHit[]> {
    const target = version ?? (await this.liveVersion());
    if (target === undefined) return [];
    const index = await this.load(target);
    const lang = query.filter?.lang;
    const prefix = query.filter?.categoryPrefix;
    const allowed = lang === undefined && prefix === undefined
      ? undefined
      : (point: PointMeta) => (lang === undefined || point.lang === lang) && (prefix === undefined || prefix.every((part, at) => point.category[at] === part));

    const dense = query.dense;
    const hybrid = dense !== undefined && index.hasDense;
    // Hybrid hits report their sparse score even below the sparse top k, as Qdrant's do.
    const sparseScores = new Map<number, number>();
    const sparseRanked = sparseTopK(index, query, allowed, hybrid ? sparseScores : undefined);
    if (!hybrid) {
      return sparseRanked.map(({ point, score }) => hit(index.points[point] as PointMeta, score, score, undefined));
    }
    const denseRanked = topK(
      index.points.map((point, at) => [at, point.dense ? cosine(dense, point.dense) : -Infinity] as const).filter(([at]) => allowed?.(index.points[at] as PointMeta) ?? true),
      query.limit,
      ([, score]) => score,
    );
    const fused = reciprocalRankFusion([sparseRanked.map(({ point }) => String(point)), denseRanked.map(([at]) => String(at))]);
    const denseScores = new Map(denseRanked);
    return topK(fused.entries(), query.limit, ([, score]) => score).map(([key, score]) => {
      const at = Number(key);
      return hit(index.points[at] as PointMeta, score, sparseScores.get(at) ?? 0, denseScores.get(at));
    });
  }

  /** Reads the version's index now, so the first customer after a start or a switch does not wait for it. */
  async warm(version: number): Promise<void> {
    await this.load(version);
  }

  async deleteVersion(version: number): Promise<void> {
    this.loaded.delete(version);
    await rm(this.fileOf(version), { force: true });
  }

  async listVersions(): Promise<number[]> {
    if (!existsSync(this.dir)) return [];
    return (await readdir(this.dir))
      .map((name) => /^v(\d+)\.points\.json$/.exec(name)?.[1])
      .filter((digits): digits is string => digits !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The version's index, read once; concurrent first searches share the one read. */
  private load(version: number): Promise<LoadedIndex> {
    const cached = this.loaded.get(version);
    if (cached) return cached;
    const loading = readIndex(this.fileOf(version)).catch((error: unknown) => {
      if (this.loaded.get(version) === loading) this.loaded.delete(version);
      throw new VectorStoreUnavailableError(`index version ${version} is missing or corrupt`, { cause: error });
    });
    // Keep the live version and the one before it: enough for in-flight turns during a switch.
    if (this.loaded.size >= 2) this.loaded.delete(this.loaded.keys().next().value as number);
    this.loaded.set(version, loading);
    return loading;
  }
}

async function readIndex(file: string): Promise<LoadedIndex> {
  const builder = new IndexBuilder();
  await readPointsFile(file, (point) => builder.add(point));
  return builder.build();
}

/**
 * Builds the postings in two passes, counting each term's points first so its arrays have
 * exactly that size. Between the passes a point keeps only typed arrays of its sparse vector,
 * not the parsed JSON.
 */
class IndexBuilder {
  private readonly counts = new Map<number, number>();
  private readonly sparse: Array<{ indices: Float64Array; values: Float64Array }> = [];
  private readonly metas: PointMeta[] = [];
  // Payload strings repeat across points (languages, categories): share one copy of each.
  private readonly categories = new Map<string, string[]>();

  add(point: IndexPoint): void {
    const { indices, values } = point.sparse;
    for (const term of indices) this.counts.set(term, (this.counts.get(term) ?? 0) + 1);
    this.sparse.push({ indices: Float64Array.from(indices), values: Float64Array.from(values) });
    const key = point.category.join('\u0000');
    let category = this.categories.get(key);
    if (!category) this.categories.set(key, (category = point.category));
    this.metas.push({ id: point.id, entryId: point.entryId, lang: point.lang, category, dense: point.dense ? Float64Array.from(point.dense) : undefined });
  }

  build(): LoadedIndex {
    const n = this.metas.length;
    const postings = new Map<number, Postings>();
    for (const [term, count] of this.counts) postings.set(term, { points: new Int32Array(count), values: new Float64Array(count), idf: idf(n, count) });
    const filled = new Map<number, number>();
    this.sparse.forEach(({ indices, values }, at) => {
      for (let position = 0; position < indices.length; position += 1) {
        const term = indices[position] as number;
        const list = postings.get(term) as Postings;
        const slot = filled.get(term) ?? 0;
        list.points[slot] = at;
        list.values[slot] = values[position] as number;
        filled.set(term, slot + 1);
      }
    });
    return {
      points: this.metas,
      postings,
      scores: new Float64Array(n),
      touched: new Uint8Array(n),
      hits: new Int32Array(n),
      hasDense: this.metas.some((point) => point.dense !== undefined),
    };
  }
}

/**
 * The `limit` best points by BM25, best first; equal scores keep the order in which the query's
 * terms first reached them (as a stable sort would). Scores accumulate in the index's scratch
 * arrays and only points that beat the current k-th best pay for the filter and the heap.
 */
function sparseTopK(
  index: LoadedIndex,
  query: SearchQuery,
  allowed: ((point: PointMeta) => boolean) | undefined,
  allScores?: Map<number, number>,
): Array<{ point: number; score: number }> {
  const { scores, touched, hits } = index;
  let hitCount = 0;
  const { indices, values } = query.sparse;
  for (let at = 0; at < indices.length; at += 1) {
    const postings = index.postings.get(indices[at] as number);
    if (!postings) continue;
    const weight = (values[at] ?? 0) * postings.idf;
    const { points, values: weights } = postings;
    for (let i = 0; i < points.length; i += 1) {
      const point = points[i] as number;
      if (touched[point] === 0) {
        touched[point] = 1;
        hits[hitCount] = point;
        hitCount += 1;
      }
      scores[point] = (scores[point] as number) + weight * (weights[i] as number);
    }
  }
  const heap = new TopHeap(query.limit);
  for (let order = 0; order < hitCount; order += 1) {
    const point = hits[order] as number;
    const score = scores[point] as number;
    scores[point] = 0;
    touched[point] = 0;
    // Without `allScores` a point that cannot enter the heap skips the filter.
    const takes = heap.wouldTake(score, order);
    if (!takes && !allScores) continue;
    if (allowed && !allowed(index.points[point] as PointMeta)) continue;
    allScores?.set(point, score);
    if (takes) heap.push(point, score, order);
  }
  return heap.sorted();
}

/** A bounded min-heap on (score, then earlier order wins) in typed arrays. */
class TopHeap {
  private readonly points: Int32Array;
  private readonly scores: Float64Array;
  private readonly orders: Int32Array;
  private size = 0;

  constructor(private readonly limit: number) {
    const capacity = Math.max(0, limit);
    this.points = new Int32Array(capacity);
    this.scores = new Float64Array(capacity);
    this.orders = new Int32Array(capacity);
  }

  /** Whether (score, order) would enter: the heap has room or it beats the worst kept. */
  wouldTake(score: number, order: number): boolean {
    if (this.limit <= 0) return false;
    if (this.size < this.limit) return true;
    return this.better(score, order, 0);
  }

  push(point: number, score: number, order: number): void {
    if (this.size < this.limit) {
      let at = this.size;
      this.size += 1;
      this.set(at, point, score, order);
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!this.better(this.scores[parent] as number, this.orders[parent] as number, at)) break;
        this.swap(at, parent);
        at = parent;
      }
      return;
    }
    this.set(0, point, score, order);
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let worst = at;
      if (left < this.size && this.better(this.scores[worst] as number, this.orders[worst] as number, left)) worst = left;
      if (right < this.size && this.better(this.scores[worst] as number, this.orders[worst] as number, right)) worst = right;
      if (worst === at) return;
      this.swap(at, worst);
      at = worst;
    }
  }

  sorted(): Array<{ point: number; score: number; order: number }> {
    const items = [];
    for (let at = 0; at < this.size; at += 1) items.push({ point: this.points[at] as number, score: this.scores[at] as number, order: this.orders[at] as number });
    return items.sort((a, b) => b.score - a.score || a.order - b.order);
  }

  /** Whether (score, order) ranks above the item at `slot`. */
  private better(score: number, order: number, slot: number): boolean {
    const other = this.scores[slot] as number;
    return score > other || (score === other && order < (this.orders[slot] as number));
  }

  private set(slot: number, point: number, score: number, order: number): void {
    this.points[slot] = point;
    this.scores[slot] = score;
    this.orders[slot] = order;
  }

  private swap(a: number, b: number): void {
    const [point, score, order] = [this.points[a] as number, this.scores[a] as number, this.orders[a] as number];
    this.set(a, this.points[b] as number, this.scores[b] as number, this.orders[b] as number);
    this.set(b, point, score, order);
  }
}

function hit(point: PointMeta, score: number, sparseScore: number, denseScore: number | undefined): SearchHit {
  const retrievers: SearchHit['retrievers'] = [];
  if (sparseScore > 0) retrievers.push('sparse');
  if (denseScore !== undefined) retrievers.push('dense');
  return { pointId: point.id, entryId: point.entryId, score, sparseScore, ...(denseScore !== undefined ? { denseScore } : {}), retrievers };
}

function cosine(a: number[], b: Float64Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
