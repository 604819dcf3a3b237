/**
 * @module Stable sparse-vector indices for terms, identical in the embedded index and Qdrant.
 *
 * @example termId('hello') // 0x248bfa47
 */

const encoder = new TextEncoder();

/**
 * The sparse-vector index of a term: murmur3_32 (x86, seed 0) of its UTF-8 bytes, as an
 * unsigned 32-bit integer. Never change this: stored indexes depend on it.
 */
export function termId(term: string): number {
  let id = cache.get(term);
  if (id === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    id = murmur3(encoder.encode(term), 0);
    cache.set(term, id);
  }
  return id;
}

/**
 * Terms repeat across a KB's questions and customers' messages: hashing each once (UTF-8
 * encoding is most of the cost) took a tenth of a 10,000-entry publish. Bounded, so a stream of
 * unseen terms cannot grow it without end.
 */
const CACHE_LIMIT = 200_000;
const cache = new Map<string, number>();

/** murmur3_32 (x86 variant) of `bytes`; unsigned result. */
export function murmur3(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const length = bytes.length;
  const blockEnd = length - (length % 4);
  let hash = seed >>> 0;

  for (let index = 0; index < blockEnd; index += 4) {
    let k =
      (bytes[index] ?? 0) |
      ((bytes[index + 1] ?? 0) << 8) |
      ((bytes[index + 2] ?? 0) << 16) |
      ((bytes[index + 3] ?? 0) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    hash ^= k;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }

  const remaining = length - blockEnd;
  if (remaining > 0) {
    // The 1-3 trailing bytes, little-endian, mixed like a block but without the rotate-add.
    let tail = 0;
    for (let offset = remaining - 1; offset >= 0; offset -= 1) tail = (tail << 8) | (bytes[blockEnd + offset] ?? 0);
    tail = Math.imul(tail, c1);
    tail = (tail << 15) | (tail >>> 17);
    tail = Math.imul(tail, c2);
    hash ^= tail;
  }

  hash ^= length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
