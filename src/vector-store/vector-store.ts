/**
 * The vector-store port: one immutable index per KB version, hybrid search.
 *
 * Both adapters (embedded, Qdrant) score sparse vectors the same way, as Qdrant does with
 * `modifier: idf`: documents carry the BM25 term-frequency part, queries carry weight 1 per
 * unique term, and the store multiplies by `ln((N - df + 0.5) / (df + 0.5) + 1)`, where N
 * and df count points in the version's collection.
 */
export interface SparseVector {
  /** Unique uint32 term ids, ascending. */
  indices: number[];
  values: number[];
}

export interface IndexPoint {
  /** Unique within a version; stable for the same (entry, chunk) across versions. */
  id: string;
  entryId: string;
  sparse: SparseVector;
  dense?: number[];
  /** Payload used by filters. */
  lang?: string;
  category: string[];
  tags: string[];
}

export interface SearchQuery {
  sparse: SparseVector;
  dense?: number[];
  /** Number of hits to return; at most one hit per point. */
  limit: number;
  filter?: { lang?: string; categoryPrefix?: string[] };
}

export interface SearchHit {
  pointId: string;
  entryId: string;
  /** Fused score when both retrievers ran, otherwise the retriever's own score. */
  score: number;
  /** The raw sparse (BM25) score, 0 when the sparse retriever did not find the point. */
  sparseScore: number;
  denseScore?: number;
  /** Which retrievers returned the point. */
  retrievers: Array<'sparse' | 'dense'>;
}

export interface VectorStore {
  /** Builds the index for `version`; overwrites an unfinished earlier attempt. */
  createVersion(version: number, points: IndexPoint[], options: { denseSize?: number }): Promise<void>;
  /** Makes `version` the one that `search` serves, atomically. */
  setLive(version: number): Promise<void>;
  /** The version `search` serves, or undefined before the first publish. */
  liveVersion(): Promise<number | undefined>;
  search(query: SearchQuery, version?: number): Promise<SearchHit[]>;
  /** Makes `version` ready to search before it serves, where a store keeps versions in memory. */
  warm?(version: number): Promise<void>;
  deleteVersion(version: number): Promise<void>;
  listVersions(): Promise<number[]>;
}
