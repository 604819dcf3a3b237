/**
 * @module Child-process entry that trains nlp.js and classifies a list of texts, so its long
 * training runs on the second core while the main process evaluates our model. Receives
 * `NlpjsJob` over IPC and answers with `NlpjsJobResult`.
 */
import type { LabelledText, LabelPrediction } from './label-classifier.js';
import { trainNlpjs } from './nlpjs-classifier.js';

/** What the parent sends. */
export interface NlpjsJob {
  train: LabelledText[];
  texts: string[];
}

/** What the child answers: training wall time and one prediction per text. */
export type NlpjsJobResult = { trainMs: number; predictions: LabelPrediction[] } | { error: string };

async function run(job: NlpjsJob): Promise<NlpjsJobResult> {
  const started = performance.now();
  const model = await trainNlpjs(job.train);
  const trainMs = performance.now() - started;
  const predictions: LabelPrediction[] = [];
  for (const text of job.texts) predictions.push(await model.predict(text));
  return { trainMs, predictions };
}

// Only a forked child has `send`; importing this module elsewhere does nothing.
if (process.send) {
  process.once('message', (job: NlpjsJob) => {
    run(job).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => process.send?.({ error: (error as Error).stack ?? String(error) }, () => process.exit(1)),
    );
  });
}
