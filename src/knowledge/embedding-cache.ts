import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Embedder } from '../llm/embedder.js';
import { writeFileAtomicSync } from '../util/atomic-file.js';

const cacheFileSchema = z.object({ model: z.string(), vectors: z.record(z.string(), z.string()) });

function keyOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function encode(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function decode(value: string): number[] {
  const bytes = Buffer.from(value, 'base64');
  return [...new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4)];
}

/**
 * Embeddings of KB texts by content hash, one file per model under `<dataDir>/kb/embeddings`, so
 * a publish only sends new or changed texts to the embeddings server.
 */
export class EmbeddingCache {
  private readonly file: string;
  private readonly vectors: Map<string, string>;

  constructor(dataDir: string, private readonly model: string) {
    const name = `${model.replace(/[^\w.-]+/g, '_')}-${keyOf(model).slice(0, 8)}.json`;
    this.file = path.join(dataDir, 'kb', 'embeddings', name);
    this.vectors = new Map();
    if (!existsSync(this.file)) return;
    try {
      const parsed = cacheFileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
      if (parsed.model === model) for (const [key, value] of Object.entries(parsed.vectors)) this.vectors.set(key, value);
    } catch {
      // A damaged cache only costs a re-embedding.
    }
  }

  /** Vectors for `texts` in order; only the texts not cached are embedded (in one `embed` call). */
  async embedAll(texts: string[], embedder: Embedder, onProgress?: (done: number, total: number) => void): Promise<{ vectors: number[][]; embedded: number }> {
    const missing = [...new Set(texts.filter((text) => !this.vectors.has(keyOf(text))))];
    if (missing.length > 0) {
      const fresh = await embedder.embed(missing);
      missing.forEach((text, at) => this.vectors.set(keyOf(text), encode(fresh[at] ?? [])));
      this.save(texts);
    }
    onProgress?.(texts.length, texts.length);
    return { vectors: texts.map((text) => decode(this.vectors.get(keyOf(text)) ?? '')), embedded: missing.length };
  }

  /** Keeps the vectors of the texts in use, so the file does not grow forever. */
  private save(inUse: string[]): void {
    const keep = new Set(inUse.map(keyOf));
    const vectors = Object.fromEntries([...this.vectors].filter(([key]) => keep.has(key)));
    writeFileAtomicSync(this.file, JSON.stringify({ model: this.model, vectors }));
  }
}
