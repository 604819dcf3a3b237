import { describe, expect, it } from 'vitest';
import { matchConfidence, queryCoverage } from './confidence.js';

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
