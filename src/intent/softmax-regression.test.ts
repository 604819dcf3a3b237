import { describe, expect, it } from 'vitest';
import { softmaxProbabilities, trainSoftmax } from './softmax-regression.js';
import type { SparseRow } from './softmax-regression.js';

// Three classes, each marked by its own feature (0, 1, 2); feature 3 is shared noise.
const rows: SparseRow[] = [
  { columns: [0, 3], values: [1, 1] },
  { columns: [0], values: [1] },
  { columns: [1, 3], values: [1, 1] },
  { columns: [1], values: [1] },
  { columns: [2, 3], values: [1, 1] },
  { columns: [2], values: [1] },
];
const labels = [0, 0, 1, 1, 2, 2];

describe('softmax regression', () => {
  it('learns separable classes and returns probabilities', () => {
    const model = trainSoftmax(rows, labels, { classes: 3, features: 4 });
    for (const klass of [0, 1, 2]) {
      const probabilities = softmaxProbabilities(model, { columns: [klass], values: [1] });
      expect(probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
      expect(probabilities.indexOf(Math.max(...probabilities))).toBe(klass);
      expect(probabilities[klass]).toBeGreaterThan(0.8);
    }
  });

  it('is uncertain about a row with no known feature', () => {
    const model = trainSoftmax(rows, labels, { classes: 3, features: 4, runs: 2 });
    const probabilities = softmaxProbabilities(model, { columns: [], values: [] });
    for (const value of probabilities) expect(value).toBeCloseTo(1 / 3, 1);
  });

  it('is deterministic for a seed and changes with it', () => {
    const options = { classes: 3, features: 4, epochs: 3, runs: 1 };
    const first = trainSoftmax(rows, labels, options);
    const again = trainSoftmax(rows, labels, options);
    const reseeded = trainSoftmax(rows, labels, { ...options, seed: 7 });
    expect([...again.weights]).toEqual([...first.weights]);
    expect([...reseeded.weights]).not.toEqual([...first.weights]);
  });
});
