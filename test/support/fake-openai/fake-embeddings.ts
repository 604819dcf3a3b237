/**
 * Deterministic fake embeddings: a hashed bag of characters and character bigrams, L2-normalized,
 * so texts sharing characters are close (cosine) and the same text always maps to the same vector.
 */
export function fakeEmbedding(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  const chars = [...text.normalize('NFKC').toLowerCase()].filter((char) => !/\s/.test(char));
  const units = [...chars, ...chars.slice(1).map((char, index) => `${chars[index] ?? ''}${char}`)];
  for (const unit of units) {
    const hash = fnv1a(unit);
    const slot = hash % dimension;
    vector[slot] = (vector[slot] ?? 0) + ((hash >>> 16) & 1 ? 1 : -1);
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector.map((_value, index) => (index === 0 ? 1 : 0)) : vector.map((value) => value / norm);
}

/** Little-endian float32 values as base64, as OpenAI's `encoding_format: "base64"` sends them. */
export function toBase64Floats(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
