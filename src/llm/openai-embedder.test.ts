import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeEmbedding, startFakeOpenAi } from '../../test/support/fake-openai/index.js';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import { EmbeddingDimensionError, LlmUnavailableError } from './llm-errors.js';
import { OpenAiEmbedder, decodeBase64Floats } from './openai-embedder.js';
import type { OpenAiEmbedderOptions } from './openai-embedder.js';

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ embeddingDimension: 64 });
});
afterEach(() => {
  expect(fake.invalidRequests).toEqual([]);
  fake.requests.splice(0);
  fake.embeddingDimension = 64;
});
afterAll(() => fake.close());

const embedder = (options: Partial<OpenAiEmbedderOptions> = {}) => new OpenAiEmbedder({ baseURL: fake.baseURL, model: 'fake-embed', maxRetries: 2, ...options });
const texts = Array.from({ length: 150 }, (_value, index) => `问题 ${index}: 退货运费怎么算 question ${index}`);
const cosine = (left: number[], right: number[]) => left.reduce((sum, value, index) => sum + value * (right[index] ?? 0), 0);

describe('OpenAiEmbedder', () => {
  it('embeds 150 texts in batches of 64, in order, asking for floats explicitly', async () => {
    const vectors = await embedder().embed(texts);
    const requests = fake.embeddingRequests();
    expect(requests.map((request) => request.body.input.length)).toEqual([64, 64, 22]);
    expect(requests.every((request) => request.body.encoding_format === 'float')).toBe(true);
    expect(vectors).toHaveLength(150);
    expect(vectors[149]).toEqual(fakeEmbedding(texts[149] ?? '', 64));
    expect(vectors.every((vector) => vector.length === 64)).toBe(true);
  });

  it('decodes base64 (little-endian float32) to the same vectors', async () => {
    const floats = await embedder().embed(texts.slice(0, 5));
    const base64 = await embedder({ encodingFormat: 'base64' }).embed(texts.slice(0, 5));
    expect(fake.embeddingRequests().map((request) => request.body.encoding_format)).toEqual(['float', 'base64']);
    base64.forEach((vector, row) => vector.forEach((value, column) => expect(value).toBeCloseTo(floats[row]?.[column] ?? NaN, 6)));
  });

  it('retries a rate limit, then succeeds', async () => {
    fake.failNext(1, 429, 10);
    const vectors = await embedder().embed(['运费']);
    expect(vectors).toHaveLength(1);
    expect(fake.embeddingRequests()).toHaveLength(2);
  });

  it('gives up after the retries with a typed error', async () => {
    fake.failNext(3, 503, 5);
    await expect(embedder({ maxRetries: 2 }).embed(['运费'])).rejects.toBeInstanceOf(LlmUnavailableError);
    expect(fake.embeddingRequests()).toHaveLength(3);
  });

  it('rejects vectors of another length than configured', async () => {
    const error = await embedder({ dimensions: 128 }).embed(['运费']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmbeddingDimensionError);
    expect(error).toMatchObject({ expected: 128, actual: 64, isRetryable: false });
  });

  it('rejects a response whose vectors change length between batches', async () => {
    const flipping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      fake.embeddingDimension = 32;
      return response;
    };
    const error = await embedder({ batchSize: 2, fetch: flipping }).embed(['a', 'b', 'c']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmbeddingDimensionError);
    expect(error).toMatchObject({ expected: 64, actual: 32 });
  });

  it('asks the server for shorter vectors when told to', async () => {
    const vectors = await embedder({ dimensions: 16, requestDimensions: true }).embed(['运费']);
    expect(fake.embeddingRequests()[0]?.body.dimensions).toBe(16);
    expect(vectors[0]).toHaveLength(16);
  });

  it('gives similar texts closer vectors (the fake is usable for retrieval tests)', async () => {
    const [query, near, far] = await embedder().embed(['退货运费谁出', '退货的运费由谁承担', 'invoice address change']);
    expect(cosine(query ?? [], near ?? [])).toBeGreaterThan(cosine(query ?? [], far ?? []));
  });

  it('decodes base64 floats exactly', () => {
    const bytes = Buffer.from(new Float32Array([0.5, -1.25, 3]).buffer);
    expect(decodeBase64Floats(bytes.toString('base64'))).toEqual([0.5, -1.25, 3]);
  });
});
