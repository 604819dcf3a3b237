import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from './fake-openai-server.js';
import type { FakeOpenAi } from './fake-openai-server.js';

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());

const post = (path: string, body: unknown) =>
  fetch(`${fake.baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('fake OpenAI server', () => {
  it('rejects and records a request that breaks the official schema', async () => {
    const before = fake.invalidRequests.length;
    const response = await post('/chat/completions', { model: 'm', messages: [{ role: 'wizard', content: 'hi' }] });
    expect(response.status).toBe(400);
    expect(fake.invalidRequests.length).toBe(before + 1);
    const missingModel = await post('/embeddings', { input: ['a'] });
    expect(missingModel.status).toBe(400);
    expect(fake.invalidRequests.length).toBe(before + 2);
    fake.requests.splice(0); // leave the log clean for the other tests
  });

  it('streams SSE chunks as the spec README describes', async () => {
    fake.enqueue({ text: '你好，世界！' });
    const response = await post('/chat/completions', {
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text()).split('\n\n').filter((block) => block !== '');
    expect(events.every((block) => block.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((block) => JSON.parse(block.slice(6)));
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    const usageChunk = chunks.at(-1);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.total_tokens).toBeGreaterThan(0);
    const choiceChunks = chunks.slice(0, -1);
    expect(choiceChunks.every((chunk) => chunk.usage === null)).toBe(true);
    expect(choiceChunks[0].choices[0].delta.role).toBe('assistant');
    expect(choiceChunks.slice(1).every((chunk) => chunk.choices[0].delta.role === undefined)).toBe(true);
    expect(choiceChunks.slice(0, -1).every((chunk) => chunk.choices[0].finish_reason === null)).toBe(true);
    expect(choiceChunks.at(-1).choices[0].finish_reason).toBe('stop');
    expect(choiceChunks.map((chunk) => chunk.choices[0].delta.content ?? '').join('')).toBe('你好，世界！');
    expect(fake.invalidRequests).toEqual([]);
  });

  it('answers embeddings as floats or base64 float32, the same vectors', async () => {
    const floats = await (await post('/embeddings', { model: 'e', input: ['退货', 'refund'], encoding_format: 'float' })).json();
    const base64 = await (await post('/embeddings', { model: 'e', input: ['退货', 'refund'], encoding_format: 'base64' })).json();
    expect(floats.data[0].embedding).toHaveLength(64);
    const decoded = Buffer.from(base64.data[1].embedding, 'base64');
    const values = Array.from(new Float32Array(decoded.buffer, decoded.byteOffset, decoded.byteLength / 4));
    values.forEach((value, index) => expect(value).toBeCloseTo(floats.data[1].embedding[index], 6));
    expect(fake.invalidRequests).toEqual([]);
  });
});
