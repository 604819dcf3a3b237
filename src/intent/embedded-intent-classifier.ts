/**
 * @module The embedded intent classifier: softmax regression over `intentFeatures`, trained
 * in-process from `prompts/intents.yaml` at startup, with no model server.
 *
 * @example
 * const classifier = EmbeddedIntentClassifier.train(intentExamples(loadIntentsFile('prompts/intents.yaml')));
 * classifier.predict('转人工'); // { intent: 'human_request', confidence: 0.99…, runnerUp: { … } }
 */
import { termId } from '../text/term-id.js';
import { INTENTS } from './intent-classifier.js';
import type { Intent, IntentClassifier, IntentPrediction, IntentScore } from './intent-classifier.js';
import { intentFeatures } from './intent-features.js';
import { softmaxProbabilities, trainSoftmax } from './softmax-regression.js';
import type { SoftmaxModel, SoftmaxTrainingOptions, SparseRow } from './softmax-regression.js';

/** Training knobs; the defaults suit a few hundred to a few thousand examples. */
export type IntentTrainingOptions = Partial<Pick<SoftmaxTrainingOptions, 'epochs' | 'learningRate' | 'l2' | 'seed' | 'runs'>>;

/**
 * A bilingual (zh/en) intent model that trains in well under a second and needs no
 * dependencies. `confidence` is the softmax probability, so callers can set thresholds.
 */
export class EmbeddedIntentClassifier implements IntentClassifier {
  private constructor(
    /** Feature hash (`termId` of the feature string) to weight column. */
    private readonly columns: ReadonlyMap<number, number>,
    /** Hashes of the words seen in training, to count a message's unknown words. */
    private readonly knownWords: ReadonlySet<number>,
    private readonly model: SoftmaxModel,
  ) {}

  /** Trains on labelled sentences; deterministic for the same examples and options. */
  static train(examples: Array<{ text: string; intent: Intent }>, options: IntentTrainingOptions = {}): EmbeddedIntentClassifier {
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
      // A word found in only one example is what an unseen word will be at prediction
      // time, so the model learns which intents bring new vocabulary (questions, off-topic).
      const unknown = wordHashes(features).filter((word) => (wordCounts.get(word) ?? 0) <= 1).length;
      return toRow([...features, unknownFeature(unknown)], addColumn);
    });
    const labels = examples.map((example) => INTENTS.indexOf(example.intent));
    const model = trainSoftmax(rows, labels, { ...options, classes: INTENTS.length, features: columns.size });
    return new EmbeddedIntentClassifier(columns, new Set(wordCounts.keys()), model);
  }

  /** The most likely intent with its probability, and the runner-up. Synchronous. */
  predict(text: string): IntentPrediction {
    const features = intentFeatures(text);
    const unknown = wordHashes(features).filter((word) => !this.knownWords.has(word)).length;
    // Features never seen in training have no weight, so they are left out.
    const row = toRow([...features, unknownFeature(unknown)], (hash) => this.columns.get(hash));
    const probabilities = softmaxProbabilities(this.model, row);
    const ranked = INTENTS.map((intent, index): IntentScore => ({ intent, confidence: probabilities[index] ?? 0 })).sort(
      (left, right) => right.confidence - left.confidence,
    );
    const [best, runnerUp] = ranked as [IntentScore, IntentScore, ...IntentScore[]];
    return { ...best, runnerUp };
  }

  /** The port method; the model runs in-process, so this resolves immediately. */
  classify(text: string): Promise<IntentPrediction> {
    try {
      return Promise.resolve(this.predict(text));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

// Whole words (jieba words, English words), not character n-grams or markers.
const WORD_FEATURE = /^(?:w|e1):(?!\^)/u;

function wordHashes(features: string[]): number[] {
  return features.filter((feature) => WORD_FEATURE.test(feature)).map(termId);
}

function unknownFeature(count: number): string {
  return `unknown:${Math.min(count, 3)}`;
}

function toRow(features: string[], columnOf: (hash: number) => number | undefined): SparseRow {
  const columns: number[] = [];
  for (const feature of features) {
    const column = columnOf(termId(feature));
    if (column !== undefined && !columns.includes(column)) columns.push(column);
  }
  // Unit length, so a long message is not more confident just for having more features.
  const value = columns.length === 0 ? 0 : 1 / Math.sqrt(columns.length);
  return { columns, values: columns.map(() => value) };
}
