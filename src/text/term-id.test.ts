import { describe, expect, it } from 'vitest';
import { murmur3, termId } from './term-id.js';

describe('termId', () => {
  it('matches murmur3_32 reference vectors (seed 0)', () => {
    expect(termId('')).toBe(0);
    expect(termId('hello')).toBe(0x248bfa47);
    expect(termId('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
    expect(termId('a')).toBe(0x3c2569b2);
    expect(termId('ab')).toBe(0x9bbfd75f);
    expect(termId('abc')).toBe(0xb3dd93fa);
  });

  it('hashes UTF-8 bytes and honours the seed', () => {
    expect(termId('退货')).toBe(murmur3(new TextEncoder().encode('退货'), 0));
    expect(murmur3(new Uint8Array(), 1)).toBe(0x514e28b7);
  });

  it('returns an unsigned 32-bit integer', () => {
    for (const term of ['退货', '人工', 'refund', 'iphone15']) {
      const id = termId(term);
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThanOrEqual(0);
      expect(id).toBeLessThan(2 ** 32);
    }
  });
});
