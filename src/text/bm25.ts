/**
 * @module BM25 weights split the way Qdrant's `modifier: idf` expects: documents carry the
 * term-frequency part, queries carry 1 per term, and the store multiplies in `idf`.
 *
 * @example
 * const { vectors } = documentVectors(docs.map(tokenize));
 * const query = queryVector(tokenize('怎么退货'));
 */
import type { SparseVector } from '../vector-store/vector-store.js';
import { termId } from './term-id.js';

/** BM25 term-frequency saturation. */
export const BM25_K1 = 1.2;
/** BM25 document-length normalization. */
export const BM25_B = 0.75;

/**
 * The BM25 term-frequency part `tf*(k1+1) / (tf + k1*(1 - b + b*dl/avgdl))` of each
 * document, one entry per unique term id (ascending). `dl` is a document's term count and
 * `avgLength` the mean over `docs` (0 for no documents). Terms that hash to the same id
 * count as one term.
 */
export function documentVectors(docs: string[][]): { vectors: SparseVector[]; avgLength: number } {
  const total = docs.reduce((sum, terms) => sum + terms.length, 0);
  const avgLength = docs.length === 0 ? 0 : total / docs.length;
  const vectors = docs.map((terms) => {
    const frequencies = termFrequencies(terms);
    const indices = [...frequencies.keys()].sort((left, right) => left - right);
    const lengthNorm = avgLength === 0 ? 1 : 1 - BM25_B + (BM25_B * terms.length) / avgLength;
    const values = indices.map((index) => {
      const tf = frequencies.get(index) ?? 0;
      return (tf * (BM25_K1 + 1)) / (tf + BM25_K1 * lengthNorm);
    });
    return { indices, values };
  });
  return { vectors, avgLength };
}

/** A query's sparse vector: weight 1 per unique term id, ascending. */
export function queryVector(terms: string[]): SparseVector {
  const indices = [...new Set(terms.map(termId))].sort((left, right) => left - right);
  return { indices, values: indices.map(() => 1) };
}

/** Qdrant's idf: `ln((n - df + 0.5) / (df + 0.5) + 1)`, for `n` points of which `df` hold the term. */
export function idf(n: number, df: number): number {
  return Math.log((n - df + 0.5) / (df + 0.5) + 1);
}

/** How many of `vectors` hold each term id (values are ignored, even zeros). */
export function documentFrequencies(vectors: SparseVector[]): Map<number, number> {
  const frequencies = new Map<number, number>();
  for (const vector of vectors) {
    for (const index of vector.indices) frequencies.set(index, (frequencies.get(index) ?? 0) + 1);
  }
  return frequencies;
}

function termFrequencies(terms: string[]): Map<number, number> {
  const frequencies = new Map<number, number>();
  for (const term of terms) {
    const id = termId(term);
    frequencies.set(id, (frequencies.get(id) ?? 0) + 1);
  }
  return frequencies;
}
