import { describe, expect, it } from 'vitest';
import { coverageFromMasses, matchConfidence, matchFromMasses, queryCoverage, sharedMass, termMass } from './confidence.js';

const uniform = () => 1;

describe('matchConfidence', () => {
  it('is 1 for the same terms and 0 for none shared', () => {
    expect(matchConfidence(new Set([1, 2, 3]), new Set([3, 2, 1]), uniform)).toBe(1);
    expect(matchConfidence(new Set([1, 2]), new Set([3, 4]), uniform)).toBe(0);
  });

  it('is the harmonic mean of both coverages', () => {
    // shared {1,2}: recall 2/4, precision 2/2
    expect(matchConfidence(new Set([1, 2, 3, 4]), new Set([1, 2]), uniform)).toBeCloseTo((2 * 0.5 * 1) / 1.5);
  });

  it('weighs rare terms more than common ones', () => {
    const weight = (term: number) => (term === 1 ? 5 : 0.1);
    const rareShared = matchConfidence(new Set([1, 2]), new Set([1, 3]), weight);
    const commonShared = matchConfidence(new Set([1, 2]), new Set([2, 3]), weight);
    expect(rareShared).toBeGreaterThan(0.9);
    expect(commonShared).toBeLessThan(0.1);
  });
});

describe('queryCoverage', () => {
  it('is the weighted share of the question found in a passage, however long the passage', () => {
    expect(queryCoverage(new Set([1, 2]), new Set([1, 2, 3, 4, 5, 6]), uniform)).toBe(1);
    expect(queryCoverage(new Set([1, 2, 3, 4]), new Set([1, 9]), uniform)).toBe(0.25);
    expect(queryCoverage(new Set(), new Set([1]), uniform)).toBe(0);
  });
});

describe('the same measures from precomputed masses', () => {
  it('agree with matchConfidence and queryCoverage', () => {
    const weight = (term: number) => 1 + (term % 7) / 3;
    const query = new Set([1, 2, 3, 5, 8, 13]);
    for (const text of [[1, 2, 3], [2, 4, 6, 8, 10], [21, 34], [1, 2, 3, 5, 8, 13, 21]]) {
      const shared = sharedMass(query, text, weight);
      expect(matchFromMasses(shared, termMass(query, weight), termMass(text, weight))).toBeCloseTo(matchConfidence(query, text, weight), 12);
      expect(coverageFromMasses(shared, termMass(query, weight))).toBeCloseTo(queryCoverage(query, text, weight), 12);
    }
  });
});
