import { describe, expect, it } from 'vitest';
import { documentFrequencies, documentVectors, idf, queryVector } from './bm25.js';
import { termId } from './term-id.js';

describe('bm25', () => {
  // avgdl = (3 + 1) / 2 = 2.
  // doc 0 (dl 3): norm = 0.25 + 0.75 * 3/2 = 1.375; a: 2*2.2/(2 + 1.65) , b: 2.2/(1 + 1.65)
  // doc 1 (dl 1): norm = 0.25 + 0.75 * 1/2 = 0.625; b: 2.2/(1 + 0.75)
  const docs = [['a', 'b', 'a'], ['b']];

  it('weights term frequencies with length normalization', () => {
    const { vectors, avgLength } = documentVectors(docs);
    expect(avgLength).toBe(2);
    const [first, second] = vectors;
    const expected = new Map([
      [termId('a'), 4.4 / 3.65],
      [termId('b'), 2.2 / 2.65],
    ]);
    expect(first?.indices).toEqual([...expected.keys()].sort((left, right) => left - right));
    first?.indices.forEach((index, position) => {
      expect(first.values[position]).toBeCloseTo(expected.get(index) ?? Number.NaN, 10);
    });
    expect(second?.indices).toEqual([termId('b')]);
    expect(second?.values[0]).toBeCloseTo(2.2 / 1.75, 10);
  });

  it('sums the frequencies of terms that share an id', () => {
    // 'w30181' and 'w38066' collide under murmur3_32 seed 0.
    expect(termId('w30181')).toBe(termId('w38066'));
    const { vectors } = documentVectors([['w30181', 'w38066']]);
    expect(vectors[0]?.indices).toEqual([termId('w30181')]);
    // tf 2, dl = avgdl: 2*2.2/(2 + 1.2)
    expect(vectors[0]?.values[0]).toBeCloseTo(4.4 / 3.2, 10);
  });

  it('handles no documents and empty documents', () => {
    expect(documentVectors([])).toEqual({ vectors: [], avgLength: 0 });
    expect(documentVectors([[]])).toEqual({ vectors: [{ indices: [], values: [] }], avgLength: 0 });
  });

  it('gives queries weight 1 per unique term, ascending', () => {
    const vector = queryVector(['b', 'a', 'b']);
    expect(vector.indices).toEqual([termId('a'), termId('b')].sort((left, right) => left - right));
    expect(vector.values).toEqual([1, 1]);
  });

  it('computes Qdrant idf and document frequencies', () => {
    expect(idf(2, 1)).toBeCloseTo(Math.log(2), 12);
    expect(idf(2, 2)).toBeCloseTo(Math.log(1.2), 12);
    const frequencies = documentFrequencies(documentVectors(docs).vectors);
    expect(frequencies.get(termId('a'))).toBe(1);
    expect(frequencies.get(termId('b'))).toBe(2);
  });
});
