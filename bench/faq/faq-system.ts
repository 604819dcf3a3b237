import type { CandidateKey } from './ranking-metrics.js';

/** One result of a search: an entry id and the score the system ranked it by. */
export interface Scored {
  id: string;
  score: number;
}

/** What the out-of-scope test needs of one query: a score to threshold and the resulting outcome. */
export interface AnswerProbe {
  /** The value compared with the threshold (e.g. the best entry's confidence). */
  score: number;
  /** The entry answered at `threshold`, or undefined for a failed turn. */
  answerAt(threshold: number): string | undefined;
}

/** A retrieval system under test, over one published KB. */
export interface FaqSystem {
  name: string;
  /** The top `k` entries, best first. */
  search(query: string, k: number): Promise<Scored[]>;
  /** Sort keys of `ids` for this query (filtered hit@1), aligned with `ids`. */
  candidateKeys(query: string, ids: string[]): Promise<CandidateKey[]>;
  /** How the system would decide between answering and a failed turn. */
  probe(query: string): Promise<AnswerProbe>;
  /** The threshold the product ships with, when the system has one. */
  productThreshold?: number;
  /** `search` can rank the whole KB cheaply, so a full-ranking MRR is reported too. */
  exhaustive?: boolean;
}

/** A probe for systems with no decision logic of their own: answer the top entry when its score reaches the threshold. */
export function topScoreProbe(results: Scored[]): AnswerProbe {
  const top = results[0];
  return {
    score: top?.score ?? 0,
    answerAt: (threshold) => (top !== undefined && top.score > 0 && top.score >= threshold ? top.id : undefined),
  };
}
