/**
 * @module The embedded intent model of `src/intent` (same features, same unknown-word feature,
 * same `trainSoftmax` defaults) over arbitrary labels, so it can be trained on a public intent
 * set. `EmbeddedIntentClassifier` is tied to the product's intents, so this mirrors its
 * `train`/`predict` instead of changing it.
 *
 * @example
 * const model = LabelClassifier.train([{ text: 'hi', label: 'greet' }, { text: 'bye', label: 'leave' }]);
 * model.predict('hello'); // { label: 'greet', confidence: 0.6… }
 */
import { intentFeatures } from '../../src/intent/intent-features.js';
import { softmaxProbabilities, trainSoftmax } from '../../src/intent/softmax-regression.js';
import type { SoftmaxModel, SparseRow } from '../../src/intent/softmax-regression.js';
import { termId } from '../../src/text/term-id.js';

/** One labelled sentence. */
export interface LabelledText {
  text: string;
  label: string;
}

/** The best label and its softmax probability. */
export interface LabelPrediction {
  label: string;
  confidence: number;
}

// Kept in step with src/intent/embedded-intent-classifier.ts.
const WORD_FEATURE = /^(?:w|e1):(?!\^)/u;
const wordHashes = (features: string[]) => features.filter((feature) => WORD_FEATURE.test(feature)).map(termId);
const unknownFeature = (count: number) => `unknown:${Math.min(count, 3)}`;

function toRow(features: string[], columnOf: (hash: number) => number | undefined): SparseRow {
  const columns: number[] = [];
  for (const feature of features) {
    const column = columnOf(termId(feature));
    if (column !== undefined && !columns.includes(column)) columns.push(column);
  }
  const value = columns.length === 0 ? 0 : 1 / Math.sqrt(columns.length);
  return { columns, values: columns.map(() => value) };
}

/** Softmax regression over `intentFeatures`, with the product classifier's defaults. */
export class LabelClassifier {
  private constructor(
    private readonly labels: readonly string[],
    private readonly columns: ReadonlyMap<number, number>,
    private readonly knownWords: ReadonlySet<number>,
    private readonly model: SoftmaxModel,
  ) {}

  /** Trains on `examples`; labels are taken in order of first appearance. Deterministic. */
  static train(examples: LabelledText[]): LabelClassifier {
    const labels = [...new Set(examples.map((example) => example.label))];
    const featureLists = examples.map((example) => intentFeatures(example.text));
    const wordCounts = new Map<number, number>();
    for (const features of featureLists) {
      for (const word of wordHashes(features)) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
    }
    const columns = new Map<number, number>();
    const addColumn = (hash: number): number => {
      const column = columns.get(hash) ?? columns.size;
      columns.set(hash, column);
      return column;
    };
    const rows = featureLists.map((features) => {
      const unknown = wordHashes(features).filter((word) => (wordCounts.get(word) ?? 0) <= 1).length;
      return toRow([...features, unknownFeature(unknown)], addColumn);
    });
    const labelIndex = new Map(labels.map((label, index) => [label, index]));
    const targets = examples.map((example) => labelIndex.get(example.label) ?? 0);
    const model = trainSoftmax(rows, targets, { classes: labels.length, features: columns.size });
    return new LabelClassifier(labels, columns, new Set(wordCounts.keys()), model);
  }

  /** The most probable label. */
  predict(text: string): LabelPrediction {
    const features = intentFeatures(text);
    const unknown = wordHashes(features).filter((word) => !this.knownWords.has(word)).length;
    const row = toRow([...features, unknownFeature(unknown)], (hash) => this.columns.get(hash));
    const probabilities = softmaxProbabilities(this.model, row);
    let best = 0;
    probabilities.forEach((probability, index) => {
      if (probability > (probabilities[best] ?? 0)) best = index;
    });
    return { label: this.labels[best] ?? '', confidence: probabilities[best] ?? 0 };
  }
}
