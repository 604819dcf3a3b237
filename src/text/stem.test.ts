import { describe, expect, it } from 'vitest';
import { stem } from './stem.js';

describe('stem', () => {
  it.each([
    ['returns', 'return'],
    ['returned', 'return'],
    ['refunded', 'refund'],
    ['shipping', 'ship'],
    ['shipped', 'ship'],
    ['boxes', 'box'],
    ['addresses', 'address'],
    ['policies', 'policy'],
    ['cancelled', 'cancel'],
    ['canceled', 'cancel'],
    ['quickly', 'quick'],
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it('makes inflections of one word meet', () => {
    expect(stem('charge')).toBe(stem('charging'));
    expect(stem('charged')).toBe(stem('charges'));
    expect(stem('sizes')).toBe(stem('size'));
    expect(stem('billing')).toBe('bill');
  });

  it('leaves short words and non-inflections alone', () => {
    for (const word of ['is', 'bus', 'status', 'this', 'thing', 'string', 'only', 'address', 'wi-fi', '2024']) {
      expect(stem(word)).toBe(word);
    }
  });
});
