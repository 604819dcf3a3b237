/** Ranks at which a gold answer came back (1-based), undefined when it did not. */
export type Rank = number | undefined;

/** The ranking scores of the FAQ table. */
export interface RankingMetrics {
  hitAt1: number;
  hitAt5: number;
  /** Mean reciprocal rank over the top `depth` results (0 beyond). */
  mrr: number;
  queries: number;
}

/** The 1-based position of `gold` in `ranked`, or undefined. */
export function rankOf(ranked: readonly string[], gold: string): Rank {
  const index = ranked.indexOf(gold);
  return index === -1 ? undefined : index + 1;
}

/** hit@1, hit@5 and MRR over the ranks of a set of queries. */
export function rankingMetrics(ranks: Rank[], depth: number): RankingMetrics {
  const count = ranks.length;
  const share = (predicate: (rank: number) => boolean) => (count === 0 ? 0 : ranks.filter((rank) => rank !== undefined && predicate(rank)).length / count);
  const reciprocal = ranks.reduce<number>((sum, rank) => sum + (rank !== undefined && rank <= depth ? 1 / rank : 0), 0);
  return { hitAt1: share((rank) => rank === 1), hitAt5: share((rank) => rank <= 5), mrr: count === 0 ? 0 : reciprocal / count, queries: count };
}

/**
 * Sort keys compared in order (higher is better). Filtered hit@1 counts a query only when the
 * gold entry's key is strictly above every negative's, so a tie is a miss for every system.
 */
export type CandidateKey = number[];

/** Whether `gold` beats every key in `negatives`. */
export function goldWins(gold: CandidateKey, negatives: CandidateKey[]): boolean {
  return negatives.every((negative) => compareKeys(gold, negative) > 0);
}

function compareKeys(left: CandidateKey, right: CandidateKey): number {
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
