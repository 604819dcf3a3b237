import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { VectorStoreUnavailableError } from '../errors.js';
import { idf } from '../text/bm25.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { reciprocalRankFusion, topK } from './rrf.js';
import type { IndexPoint, SearchHit, SearchQuery, VectorStore } from './vector-store.js';

const pointSchema = z.object({
  id: z.string(),
  entryId: z.string(),
  sparse: z.object({ indices: z.array(z.number()), values: z.array(z.number()) }),
  dense: z.array(z.number()).optional(),
  lang: z.string().optional(),
  category: z.array(z.string()),
  tags: z.array(z.string()),
});
const versionFileSchema = z.object({ version: z.number(), denseSize: z.number().optional(), points: z.array(pointSchema) });
const liveFileSchema = z.object({ version: z.number().int().positive() });

/** One version loaded for searching: postings per term and the points themselves. */
interface LoadedIndex {
  points: IndexPoint[];
  /** Per term: the points that hold it and its weight in each, as parallel typed arrays. */
  postings: Map<number, { points: Int32Array; values: Float64Array }>;
  /** Scratch space for one search: scores and a touched mark per point (searches run one at a time). */
  scores: Float64Array;
  touched: Uint8Array;
  hasDense: boolean;
}

/**
 * The in-process, exact index: each version is a JSON file under `dir`, the live version a small
 * pointer file replaced atomically. Scoring follows Qdrant's sparse `idf` modifier and RRF fusion,
 * so a KB ranks the same here and on Qdrant.
 */
export class EmbeddedVectorStore implements VectorStore {
  private readonly loaded = new Map<number, LoadedIndex>();

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
    await writeFileAtomic(this.fileOf(version), JSON.stringify({ version, denseSize: options.denseSize, points }));
    this.loaded.delete(version);
  }

  async setLive(version: number): Promise<void> {
    this.load(version);
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
    const index = this.load(target);
    const allowed = (point: IndexPoint) =>
      (query.filter?.lang === undefined || point.lang === query.filter.lang) &&
      (query.filter?.categoryPrefix === undefined || query.filter.categoryPrefix.every((part, at) => point.category[at] === part));

    const { scores, touched } = index;
    const hits: number[] = [];
    const n = index.points.length;
    query.sparse.indices.forEach((term, at) => {
      const postings = index.postings.get(term);
      if (!postings) return;
      const weight = (query.sparse.values[at] ?? 0) * idf(n, postings.points.length);
      const { points, values } = postings;
      for (let i = 0; i < points.length; i += 1) {
        const point = points[i] as number;
        if (touched[point] === 0) {
          touched[point] = 1;
          hits.push(point);
        }
        scores[point] = (scores[point] as number) + weight * (values[i] as number);
      }
    });
    const sparseScores = new Map<number, number>();
    for (const point of hits) {
      if (allowed(index.points[point] as IndexPoint)) sparseScores.set(point, scores[point] as number);
      scores[point] = 0;
      touched[point] = 0;
    }
    const sparseRanked = topK(sparseScores.entries(), query.limit, ([, score]) => score);

    const dense = query.dense;
    if (dense === undefined || !index.hasDense) {
      return sparseRanked.map(([point, score]) => hit(index.points[point] as IndexPoint, score, score, undefined));
    }
    const denseRanked = topK(
      index.points.map((point, at) => [at, point.dense ? cosine(dense, point.dense) : -Infinity] as const).filter(([at]) => allowed(index.points[at] as IndexPoint)),
      query.limit,
      ([, score]) => score,
    );
    const fused = reciprocalRankFusion([sparseRanked.map(([at]) => String(at)), denseRanked.map(([at]) => String(at))]);
    const denseScores = new Map(denseRanked);
    return topK(fused.entries(), query.limit, ([, score]) => score).map(([key, score]) => {
      const at = Number(key);
      return hit(index.points[at] as IndexPoint, score, sparseScores.get(at) ?? 0, denseScores.get(at));
    });
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

  private load(version: number): LoadedIndex {
    const cached = this.loaded.get(version);
    if (cached) return cached;
    let points: IndexPoint[];
    try {
      points = versionFileSchema.parse(JSON.parse(readFileSync(this.fileOf(version), 'utf8'))).points as IndexPoint[];
    } catch (error) {
      throw new VectorStoreUnavailableError(`index version ${version} is missing or corrupt`, { cause: error });
    }
    const lists = new Map<number, { points: number[]; values: number[] }>();
    points.forEach((point, at) => {
      point.sparse.indices.forEach((term, position) => {
        let list = lists.get(term);
        if (!list) lists.set(term, (list = { points: [], values: [] }));
        list.points.push(at);
        list.values.push(point.sparse.values[position] ?? 0);
      });
    });
    const postings = new Map([...lists].map(([term, list]) => [term, { points: Int32Array.from(list.points), values: Float64Array.from(list.values) }]));
    const index: LoadedIndex = {
      points,
      postings,
      scores: new Float64Array(points.length),
      touched: new Uint8Array(points.length),
      hasDense: points.some((point) => point.dense !== undefined),
    };
    // Keep the live version and the one before it: enough for in-flight turns during a switch.
    if (this.loaded.size >= 2) this.loaded.delete(this.loaded.keys().next().value as number);
    this.loaded.set(version, index);
    return index;
  }
}

function hit(point: IndexPoint, score: number, sparseScore: number, denseScore: number | undefined): SearchHit {
  const retrievers: SearchHit['retrievers'] = [];
  if (sparseScore > 0) retrievers.push('sparse');
  if (denseScore !== undefined) retrievers.push('dense');
  return { pointId: point.id, entryId: point.entryId, score, sparseScore, ...(denseScore !== undefined ? { denseScore } : {}), retrievers };
}

function cosine(a: number[], b: number[]): number {
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
