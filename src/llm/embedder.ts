/**
 * @module The embedder port: turns texts into dense vectors for hybrid retrieval. Adapter:
 * `openai-embedder.ts` (any OpenAI-compatible `/v1/embeddings`).
 *
 * @example
 * const [vector] = await embedder.embed(['退货运费谁出？']);
 */
export interface Embedder {
  /**
   * One vector per text, in the same order; every vector has the same length. Batching and
   * retries are the implementation's business. Throws the typed errors of `llm-errors.ts`.
   */
  embed(texts: string[]): Promise<number[][]>;
  /** The vector length, when known in advance (configured); checked on every response. */
  readonly dimensions?: number | undefined;
}
