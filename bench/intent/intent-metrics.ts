import { precisionRecall } from '../lib/threshold.js';
import { OOS_LABEL } from './clinc-data.js';

/** A classifier's best label for one row, with its score, next to the gold label. */
export interface ScoredPrediction {
  gold: string;
  label: string;
  confidence: number;
}

/** The scores the intent table reports. */
export interface IntentMetrics {
  /** Share of in-scope rows given their own label (an `oos` prediction is wrong). */
  inScopeAccuracy: number | undefined;
  oosPrecision: number | undefined;
  oosRecall: number | undefined;
  /** Mean F1 over every gold label, `oos` included. */
  macroF1: number;
}

/** The label after the OOS rule: out of scope when the model says so or is less sure than `threshold`. */
export function decideLabel(prediction: ScoredPrediction, threshold: number): string {
  return prediction.label === OOS_LABEL || prediction.confidence < threshold ? OOS_LABEL : prediction.label;
}

/** Scores predictions after applying `threshold`. */
export function intentMetrics(predictions: ScoredPrediction[], threshold: number): IntentMetrics {
  const decided = predictions.map((prediction) => ({ gold: prediction.gold, label: decideLabel(prediction, threshold) }));
  const inScope = decided.filter((row) => row.gold !== OOS_LABEL);
  const oos = precisionRecall(
    decided.filter((row) => row.gold === OOS_LABEL && row.label === OOS_LABEL).length,
    decided.filter((row) => row.label === OOS_LABEL).length,
    decided.length - inScope.length,
  );
  return {
    inScopeAccuracy: inScope.length === 0 ? undefined : inScope.filter((row) => row.label === row.gold).length / inScope.length,
    oosPrecision: oos.precision,
    oosRecall: oos.recall,
    macroF1: macroF1(decided),
  };
}

/**
 * What the OOS threshold is tuned for on the validation split: the mean of in-scope accuracy and
 * OOS recall, so the result does not depend on how many OOS rows the split happens to hold.
 */
export function balancedAccuracy(predictions: ScoredPrediction[], threshold: number): number {
  const metrics = intentMetrics(predictions, threshold);
  return ((metrics.inScopeAccuracy ?? 0) + (metrics.oosRecall ?? 0)) / 2;
}

function macroF1(rows: Array<{ gold: string; label: string }>): number {
  const labels = [...new Set(rows.map((row) => row.gold))];
  if (labels.length === 0) return 0;
  const counts = new Map<string, { truePositive: number; predicted: number; actual: number }>();
  const count = (label: string) => {
    let entry = counts.get(label);
    if (!entry) counts.set(label, (entry = { truePositive: 0, predicted: 0, actual: 0 }));
    return entry;
  };
  for (const row of rows) {
    count(row.gold).actual += 1;
    count(row.label).predicted += 1;
    if (row.gold === row.label) count(row.gold).truePositive += 1;
  }
  const total = labels.reduce((sum, label) => {
    const entry = count(label);
    return sum + precisionRecall(entry.truePositive, entry.predicted, entry.actual).f1;
  }, 0);
  return total / labels.length;
}
