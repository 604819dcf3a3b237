/**
 * @module Multinomial logistic regression over sparse rows, trained with AdaGrad SGD.
 * Deterministic: the example order comes from a seeded generator, never Math.random.
 *
 * @example
 * const model = trainSoftmax(rows, labels, { classes: 3, features: 100 });
 * softmaxProbabilities(model, { columns: [4, 17], values: [0.7, 0.7] }); // [p0, p1, p2]
 */

/** One example or query: feature columns with their values (same length). */
export interface SparseRow {
  columns: number[];
  values: number[];
}

export interface SoftmaxTrainingOptions {
  /** Number of classes; labels are 0 … classes - 1. */
  classes: number;
  /** Number of feature columns; row columns are 0 … features - 1. */
  features: number;
  /** Passes over the data per run. Default 12. */
  epochs?: number;
  /** AdaGrad base learning rate. Default 0.5. */
  learningRate?: number;
  /** L2 penalty per update on the weights a row touches. Default 1e-4. */
  l2?: number;
  /** Seed of the first run's shuffle; run i uses seed + i. Default 1. */
  seed?: number;
  /** Independent runs whose weights are averaged. Default 1 (2 gains nothing on our held-out split). */
  runs?: number;
}

/** Trained weights: `weights[column * classes + class]`, plus one bias per class. */
export interface SoftmaxModel {
  classes: number;
  weights: Float64Array;
  bias: Float64Array;
}

/**
 * Fits the model to `rows`, whose classes are `labels` (0 ≤ label < classes): `runs` fits
 * with different shuffles, whose weights are averaged (SGD on a few hundred rows is noisy,
 * and the average generalizes better than any one run).
 */
export function trainSoftmax(rows: SparseRow[], labels: number[], options: SoftmaxTrainingOptions): SoftmaxModel {
  const { classes, features, runs = 1, seed = 1 } = options;
  const average: SoftmaxModel = { classes, weights: new Float64Array(features * classes), bias: new Float64Array(classes) };
  for (let run = 0; run < runs; run += 1) {
    const model = trainOnce(rows, labels, { ...options, seed: seed + run });
    for (let slot = 0; slot < average.weights.length; slot += 1) {
      average.weights[slot] = (average.weights[slot] ?? 0) + (model.weights[slot] ?? 0) / runs;
    }
    for (let klass = 0; klass < classes; klass += 1) average.bias[klass] = (average.bias[klass] ?? 0) + (model.bias[klass] ?? 0) / runs;
  }
  return average;
}

function trainOnce(rows: SparseRow[], labels: number[], options: SoftmaxTrainingOptions): SoftmaxModel {
  const { classes, features, epochs = 12, learningRate = 0.5, l2 = 1e-4, seed = 1 } = options;
  const model: SoftmaxModel = { classes, weights: new Float64Array(features * classes), bias: new Float64Array(classes) };
  const weightSquares = new Float64Array(features * classes);
  const biasSquares = new Float64Array(classes);
  const random = mulberry32(seed);
  const order = rows.map((_, index) => index);
  const probabilities = new Float64Array(classes);
  const errors = new Float64Array(classes);
  const { weights, bias } = model;

  for (let epoch = 0; epoch < epochs; epoch += 1) {
    shuffle(order, random);
    for (const rowIndex of order) {
      const row = rows[rowIndex];
      const label = labels[rowIndex];
      if (row === undefined || label === undefined) continue;
      fillProbabilities(model, row, probabilities);
      for (let klass = 0; klass < classes; klass += 1) {
        const error = (probabilities[klass] ?? 0) - (klass === label ? 1 : 0);
        // Once a row is learned most errors are tiny; skipping them makes later epochs cheap.
        errors[klass] = Math.abs(error) < MIN_ERROR ? 0 : error;
        if (errors[klass] === 0) continue;
        const biasSquare = (biasSquares[klass] ?? 0) + error * error;
        biasSquares[klass] = biasSquare;
        bias[klass] = (bias[klass] ?? 0) - (learningRate * error) / Math.sqrt(biasSquare + EPSILON);
      }
      const { columns, values } = row;
      for (let position = 0; position < columns.length; position += 1) {
        // Class-inner loop: a column's weights are adjacent in memory.
        const base = (columns[position] ?? 0) * classes;
        const value = values[position] ?? 0;
        for (let klass = 0; klass < classes; klass += 1) {
          const error = errors[klass] ?? 0;
          if (error === 0) continue;
          const slot = base + klass;
          const weight = weights[slot] ?? 0;
          const gradient = error * value + l2 * weight;
          const squares = (weightSquares[slot] ?? 0) + gradient * gradient;
          weightSquares[slot] = squares;
          weights[slot] = weight - (learningRate * gradient) / Math.sqrt(squares + EPSILON);
        }
      }
    }
  }
  return model;
}

/** Class probabilities of `row` (they sum to 1). */
export function softmaxProbabilities(model: SoftmaxModel, row: SparseRow): number[] {
  const probabilities = new Float64Array(model.classes);
  fillProbabilities(model, row, probabilities);
  return [...probabilities];
}

function fillProbabilities(model: SoftmaxModel, row: SparseRow, out: Float64Array): void {
  const { classes } = model;
  let max = -Infinity;
  for (let klass = 0; klass < classes; klass += 1) {
    let score = model.bias[klass] ?? 0;
    for (let position = 0; position < row.columns.length; position += 1) {
      score += (model.weights[(row.columns[position] ?? 0) * classes + klass] ?? 0) * (row.values[position] ?? 0);
    }
    out[klass] = score;
    if (score > max) max = score;
  }
  let total = 0;
  for (let klass = 0; klass < classes; klass += 1) {
    const exp = Math.exp((out[klass] ?? 0) - max);
    out[klass] = exp;
    total += exp;
  }
  for (let klass = 0; klass < classes; klass += 1) out[klass] = (out[klass] ?? 0) / total;
}

const EPSILON = 1e-8;
const MIN_ERROR = 1e-3;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], random: () => number): void {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const swap = items[index] ?? 0;
    items[index] = items[other] ?? 0;
    items[other] = swap;
  }
}
