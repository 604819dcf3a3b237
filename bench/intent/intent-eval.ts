/**
 * @module The intent benchmark: our embedded model and nlp.js trained on the same split
 * (train + its OOS rows), an OOS threshold tuned on validation, scores reported on test.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstMessage, forkTs } from '../lib/child-process.js';
import { tuneThreshold } from '../lib/threshold.js';
import type { IntentSplits } from './clinc-data.js';
import { balancedAccuracy, intentMetrics, type IntentMetrics, type ScoredPrediction } from './intent-metrics.js';
import { LabelClassifier, type LabelledText, type LabelPrediction } from './label-classifier.js';
import type { NlpjsJob, NlpjsJobResult } from './nlpjs-child.js';

/** A trained system's raw output: training time and predictions for validation and test rows. */
export interface IntentRun {
  trainMs: number;
  /** Aligned with `evaluationRows(splits)`. */
  predictions: LabelPrediction[];
}

/** One row of the intent table. */
export interface IntentSystemResult {
  system: string;
  trainMs: number;
  /** OOS threshold chosen on validation (the model's own score). */
  threshold: number;
  validation: IntentMetrics;
  test: IntentMetrics;
  /** Test scores with no threshold: out of scope only where the model's best label is `oos`. */
  testWithoutThreshold: IntentMetrics;
}

const NLPJS_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'nlpjs-child.ts');

/** Training rows: in-scope train plus the out-of-scope train rows (both systems use them as a class). */
export function trainingRows(splits: IntentSplits): LabelledText[] {
  return [...splits.train, ...splits.oosTrain];
}

/** Rows to classify, in order: validation (in-scope, OOS), then test (in-scope, OOS). */
export function evaluationRows(splits: IntentSplits): LabelledText[] {
  return [...splits.val, ...splits.oosVal, ...splits.test, ...splits.oosTest];
}

/** Trains and runs our model in this process. */
export function runOurs(splits: IntentSplits): IntentRun {
  const started = performance.now();
  const model = LabelClassifier.train(trainingRows(splits));
  const trainMs = performance.now() - started;
  return { trainMs, predictions: evaluationRows(splits).map((row) => model.predict(row.text)) };
}

/** Trains and runs nlp.js in a child process; the promise settles when it is done. */
export async function runNlpjs(splits: IntentSplits, timeoutMs = 600_000): Promise<IntentRun> {
  const { child, stderr } = forkTs(NLPJS_CHILD);
  const job: NlpjsJob = { train: trainingRows(splits), texts: evaluationRows(splits).map((row) => row.text) };
  const answer = firstMessage<NlpjsJobResult>(child, stderr, timeoutMs);
  child.send(job);
  try {
    const result = await answer;
    if ('error' in result) throw new Error(`nlp.js failed: ${result.error}`);
    return result;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

/** Tunes the OOS threshold on validation and scores validation and test with it. */
export function scoreIntentRun(system: string, run: IntentRun, splits: IntentSplits): IntentSystemResult {
  const rows = evaluationRows(splits);
  const scored: ScoredPrediction[] = rows.map((row, index) => {
    const prediction = run.predictions[index] ?? { label: '', confidence: 0 };
    return { gold: row.label, label: prediction.label, confidence: prediction.confidence };
  });
  const validationSize = splits.val.length + splits.oosVal.length;
  const validation = scored.slice(0, validationSize);
  const test = scored.slice(validationSize);
  const { threshold } = tuneThreshold(
    validation.map((row) => row.confidence),
    (candidate) => balancedAccuracy(validation, candidate),
  );
  return {
    system, trainMs: run.trainMs, threshold,
    validation: intentMetrics(validation, threshold),
    test: intentMetrics(test, threshold),
    testWithoutThreshold: intentMetrics(test, 0),
  };
}
