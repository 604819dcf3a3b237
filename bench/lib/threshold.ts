/**
 * @module Choosing a score threshold on a tuning split: every distinct score is a candidate,
 * and the one with the best objective wins (ties: the lowest threshold).
 */

/** Returns the threshold among `scores` (plus 0 and +Infinity) that maximizes `objective`. */
export function tuneThreshold(scores: number[], objective: (threshold: number) => number): { threshold: number; value: number } {
  const candidates = [0, ...new Set(scores), Number.POSITIVE_INFINITY].sort((a, b) => a - b);
  let best = { threshold: 0, value: Number.NEGATIVE_INFINITY };
  for (const threshold of candidates) {
    const value = objective(threshold);
    if (value > best.value) best = { threshold, value };
  }
  return best;
}

/** Precision, recall and F1 from counts; undefined where the denominator is 0. */
export function precisionRecall(truePositives: number, predicted: number, actual: number): { precision: number | undefined; recall: number | undefined; f1: number } {
  const precision = predicted === 0 ? undefined : truePositives / predicted;
  const recall = actual === 0 ? undefined : truePositives / actual;
  const f1 = precision === undefined || recall === undefined || precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
