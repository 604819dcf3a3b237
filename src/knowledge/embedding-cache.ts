import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Embedder } from '../llm/embedder.js';
import { EmbeddingDimensionError } from '../llm/llm-errors.js';
import { writeFileAtomicSync } from '../util/atomic-file.js';

/** Texts per `embed` call: the embedder batches them itself; this only paces the progress bar. */
export const EMBED_CHUNK = 256;

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

  /**
   * Vectors for `texts` in order; only the texts not cached are embedded, in calls of
   * {@link EMBED_CHUNK} texts so `onProgress` moves. Every vector has one length: when the server's
   * vectors changed length (another `dimensions`, another model behind the same name), cached
   * vectors of the old length are stale and embedded again, so a mixed cache never blocks a publish.
   */
  async embedAll(texts: string[], embedder: Embedder, onProgress?: (done: number, total: number) => void): Promise<{ vectors: number[][]; embedded: number }> {
    const unique = [...new Set(texts)];
    const lengthOf = (text: string) => {
      const value = this.vectors.get(keyOf(text));
      return value === undefined ? undefined : Buffer.byteLength(value, 'base64') / 4;
    };
    // The configured length, else the server's first answer; cached vectors of another length are stale.
    let size = embedder.dimensions;
    const mixed = new Set(unique.map(lengthOf).filter((length) => length !== undefined)).size > 1;
    const outdated = () => unique.filter((text) => {
      const length = lengthOf(text);
      return length === undefined || (size === undefined ? mixed : length !== size);
    });
    let embedded = 0;
    try {
      for (let todo = outdated(); todo.length > 0; todo = outdated()) {
        const already = unique.length - todo.length;
        for (let start = 0; start < todo.length; start += EMBED_CHUNK) {
          const chunk = todo.slice(start, start + EMBED_CHUNK);
          const fresh = await embedder.embed(chunk);
          chunk.forEach((text, at) => {
            const vector = fresh[at] ?? [];
            size ??= vector.length;
            if (vector.length !== size) throw new EmbeddingDimensionError(size, vector.length);
            this.vectors.set(keyOf(text), encode(vector));
            embedded += 1;
          });
          onProgress?.(already + start + chunk.length, unique.length);
        }
      }
    } finally {
      // Also after a failure: what was embedded is paid for, and the next publish resumes from it.
      if (embedded > 0) this.save(texts);
    }
    onProgress?.(unique.length, unique.length);
    return { vectors: texts.map((text) => decode(this.vectors.get(keyOf(text)) ?? '')), embedded };
  }

  /** Keeps the vectors of the texts in use, so the file does not grow forever. */
  private save(inUse: string[]): void {
    const keep = new Set(inUse.map(keyOf));
    const vectors = Object.fromEntries([...this.vectors].filter(([key]) => keep.has(key)));
    writeFileAtomicSync(this.file, JSON.stringify({ model: this.model, vectors }));
  }
}
