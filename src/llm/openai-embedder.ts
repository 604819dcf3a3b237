/**
 * @module The embedder adapter for any OpenAI-compatible `/v1/embeddings` (OpenAI, Azure,
 * Ollama, vLLM, TEI…), on the `openai` SDK.
 *
 * @example
 * const embedder = new OpenAiEmbedder({ baseURL: 'http://127.0.0.1:11434/v1', model: 'bge-m3', dimensions: 1024 });
 */
import type OpenAI from 'openai';
import { z } from 'zod';
import { CallDeadline } from './call-deadline.js';
import type { Embedder } from './embedder.js';
import { EmbeddingDimensionError, LlmBadOutputError } from './llm-errors.js';
import { DEFAULT_TIMEOUT_MS, createOpenAiClient } from './openai-client.js';
import type { OpenAiConnectionOptions } from './openai-client.js';
import { toLlmError } from './openai-error-mapping.js';

export interface OpenAiEmbedderOptions extends OpenAiConnectionOptions {
  /** Expected vector length; every response is checked against it. Unset: taken from the first response. */
  dimensions?: number | undefined;
  /** Also send `dimensions` to the server (OpenAI text-embedding-3 can shorten vectors). Default false. */
  requestDimensions?: boolean | undefined;
  /** Texts per request. Default 64. */
  batchSize?: number | undefined;
  /**
   * Wire encoding. Default `float`, always sent explicitly: openai@6 otherwise asks for base64 and
   * turns a server's plain float arrays into `[]`. `base64` (little-endian float32) is smaller.
   */
  encodingFormat?: 'float' | 'base64' | undefined;
}

export const DEFAULT_EMBEDDING_BATCH_SIZE = 64;

// Only the fields we read, so API drift elsewhere does not break us.
const embeddingResponseSchema = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.union([z.array(z.number()), z.string()]) })),
});

/**
 * `Embedder` over `POST {baseURL}/embeddings`: batched, sequential requests; each request is
 * retried by the SDK on 429/5xx/connection errors with exponential backoff and jitter; the
 * `timeoutMs` deadline applies per batch.
 */
export class OpenAiEmbedder implements Embedder {
  private readonly client: OpenAI;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private knownDimensions: number | undefined;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.client = createOpenAiClient(options);
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_EMBEDDING_BATCH_SIZE);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.knownDimensions = options.dimensions;
  }

  /** The configured length, or the one learned from the first response. */
  get dimensions(): number | undefined {
    return this.knownDimensions;
  }

  async embed(texts: string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize))));
    }
    return vectors;
  }

  private async embedBatch(input: string[]): Promise<number[][]> {
    const deadline = new CallDeadline(this.timeoutMs, undefined);
    let body: unknown;
    try {
      const encoding = this.options.encodingFormat ?? 'float';
      body = await deadline.race(
        this.client.embeddings.create(
          {
            model: this.options.model,
            input,
            encoding_format: encoding,
            ...(this.options.requestDimensions && this.options.dimensions !== undefined ? { dimensions: this.options.dimensions } : {}),
          },
          { signal: deadline.signal, timeout: this.timeoutMs },
        ),
      );
    } catch (error) {
      throw toLlmError(error, { deadline: deadline.fired, timeoutMs: this.timeoutMs });
    } finally {
      deadline.dispose();
    }
    const parsed = embeddingResponseSchema.safeParse(body);
    if (!parsed.success) throw new LlmBadOutputError('schema_mismatch', 'the embeddings response has an unexpected shape', { cause: parsed.error });
    const byIndex = new Map(parsed.data.data.map((item) => [item.index, item.embedding]));
    return input.map((_text, index) => {
      const raw = byIndex.get(index);
      if (raw === undefined) throw new LlmBadOutputError('embedding_shape', `the embeddings response lacks index ${index}`);
      const vector = typeof raw === 'string' ? decodeBase64Floats(raw) : raw;
      this.checkDimensions(vector.length);
      return vector;
    });
  }

  private checkDimensions(actual: number): void {
    if (this.knownDimensions === undefined) this.knownDimensions = actual;
    else if (actual !== this.knownDimensions) throw new EmbeddingDimensionError(this.knownDimensions, actual);
  }
}

/** Decodes a base64 string of little-endian float32 values (the OpenAI `base64` encoding). */
export function decodeBase64Floats(base64: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0) throw new LlmBadOutputError('embedding_shape', 'a base64 embedding is not a whole number of float32 values');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: number[] = [];
  for (let offset = 0; offset < bytes.length; offset += 4) values.push(view.getFloat32(offset, true));
  return values;
}
