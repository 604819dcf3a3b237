import { precisionRecall } from '../lib/threshold.js';
import type { FaqQuery } from './bq-data.js';
import type { AnswerProbe } from './faq-system.js';

/** Out-of-scope scores at one threshold. */
export interface OosMetrics {
  threshold: number;
  /** Of the turns that failed, the share whose entry really was held out. */
  oosPrecision: number | undefined;
  /** Of the held-out queries, the share that ended as a failed turn. */
  oosRecall: number | undefined;
  /** Of the in-scope queries, the share answered with their gold entry. */
  inScopeHitAt1: number;
  /** Of the in-scope queries, the share answered at all. */
  inScopeAnswered: number;
  /**
   * The mean of OOS recall and the in-scope answered share: how well the answer/fail decision
   * separates the two kinds of query, whatever their proportions. The threshold is tuned for it;
   * which entry is answered is left to hit@1, because the view's gold labels are a strict lower
   * bound and counting every other answer as wrong would make "never answer" look best.
   */
  balancedAccuracy: number;
}

/** Scores the probes of `queries` at `threshold`. */
export function oosMetrics(queries: FaqQuery[], probes: AnswerProbe[], threshold: number): OosMetrics {
  let heldout = 0;
  let failed = 0;
  let failedHeldout = 0;
  let inScopeHits = 0;
  let inScopeAnswered = 0;
  queries.forEach((query, index) => {
    const answer = probes[index]?.answerAt(threshold);
    if (query.heldout) heldout += 1;
    if (answer === undefined) {
      failed += 1;
      if (query.heldout) failedHeldout += 1;
    } else if (!query.heldout) {
      inScopeAnswered += 1;
      if (answer === query.gold) inScopeHits += 1;
    }
  });
  const inScope = queries.length - heldout;
  const { precision, recall } = precisionRecall(failedHeldout, failed, heldout);
  return {
    threshold,
    oosPrecision: precision,
    oosRecall: recall,
    inScopeHitAt1: inScope === 0 ? 0 : inScopeHits / inScope,
    inScopeAnswered: inScope === 0 ? 0 : inScopeAnswered / inScope,
    balancedAccuracy: ((recall ?? 0) + (inScope === 0 ? 0 : inScopeAnswered / inScope)) / 2,
  };
}
