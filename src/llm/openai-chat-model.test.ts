import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../../test/support/fake-openai/index.js';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import type { ChatModel, ChatRequest } from './chat-model.js';
import { LlmTimeoutError, LlmUnavailableError, fallbackReasonOf } from './llm-errors.js';
import { azureDeploymentOptions } from './openai-client.js';
import { OpenAiChatModel } from './openai-chat-model.js';
import type { OpenAiChatModelOptions } from './openai-chat-model.js';

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => {
  expect(fake.invalidRequests).toEqual([]);
  fake.requests.splice(0);
  fake.slow({});
});
afterAll(() => fake.close());

const model = (options: Partial<OpenAiChatModelOptions> = {}) => new OpenAiChatModel({ apiKey: 'test-key', baseURL: fake.baseURL, model: 'fake-chat', ...options });
const request: ChatRequest = {
  messages: [
    { role: 'system', content: 'You are a test.' },
    { role: 'user', content: '你好' },
  ],
  temperature: 0.2,
  maxTokens: 50,
};

async function collect(chatModel: ChatModel, chatRequest: ChatRequest, signal?: AbortSignal): Promise<string[]> {
  const fragments: string[] = [];
  for await (const fragment of chatModel.stream(chatRequest, signal)) fragments.push(fragment);
  return fragments;
}

describe('OpenAiChatModel', () => {
  it('completes through the real client, sending a spec-valid body', async () => {
    fake.enqueue({ text: '您好，有什么可以帮您？' });
    const result = await model().complete({ ...request, responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object', properties: {}, required: [], additionalProperties: false } } });
    expect(result).toMatchObject({ text: '您好，有什么可以帮您？', finishReason: 'stop' });
    expect(result.usage?.completionTokens).toBeGreaterThan(0);
    const [sent] = fake.chatRequests();
    expect(sent?.body).toMatchObject({ model: 'fake-chat', temperature: 0.2, max_completion_tokens: 50, response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true } } });
    expect(sent?.headers.authorization).toBe('Bearer test-key');
  });

  it('streams the text in fragments and asks for the usage chunk', async () => {
    fake.enqueue({ text: 'Returns are free within 7 days.' });
    const fragments = await collect(model(), request);
    expect(fragments.length).toBeGreaterThan(3);
    expect(fragments.join('')).toBe('Returns are free within 7 days.');
    expect(fake.chatRequests()[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('closes the HTTP stream when the consumer stops reading early', async () => {
    fake.slow({ betweenChunksMs: 30 });
    fake.enqueue({ text: 'a long answer that the consumer does not read to the end' });
    for await (const _fragment of model().stream(request)) break;
    await expect.poll(() => fake.chatRequests()[0]?.completed).toBe(false);
  });

  it('retries a 429 with the client backoff, then succeeds', async () => {
    fake.failNext(1, 429);
    fake.enqueue({ text: 'ok after retry' });
    const result = await model({ maxRetries: 2 }).complete(request);
    expect(result.text).toBe('ok after retry');
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('turns repeated 500s into a retryable LlmUnavailableError', async () => {
    fake.failNext(2, 500);
    const error = await model({ maxRetries: 1 }).complete(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({ reason: 'server_error', isRetryable: true, upstreamStatus: 500 });
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('gives up on a lasting 429 after the retries, honouring retry-after, as a retryable rate limit', async () => {
    fake.failNext(2, 429, 20);
    const error = await model({ maxRetries: 1 }).complete(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error).toMatchObject({ reason: 'rate_limited', isRetryable: true, upstreamStatus: 429 });
    expect(fallbackReasonOf(error)).toBe('rate_limited');
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it('turns a malformed response body into a typed server error, plain and streamed', async () => {
    fake.enqueue({ rawBody: '{"id": "chatcmpl-1", "choices": [' });
    const plain = await model({ maxRetries: 0 }).complete(request).catch((caught: unknown) => caught);
    expect(plain).toBeInstanceOf(LlmUnavailableError);
    expect(plain).toMatchObject({ reason: 'server_error', message: 'the model server sent a malformed response' });

    const good = { id: 'chatcmpl-2', object: 'chat.completion.chunk', created: 1, model: 'fake-chat', choices: [{ index: 0, delta: { content: '运费' }, finish_reason: null }] };
    fake.enqueue({ rawBody: `data: ${JSON.stringify(good)}\n\ndata: {"id": "chatcmpl-2", "choi\n\n`, contentType: 'text/event-stream' });
    const fragments: string[] = [];
    const streamed = await (async () => {
      for await (const fragment of model({ maxRetries: 0 }).stream(request)) fragments.push(fragment);
    })().catch((caught: unknown) => caught);
    expect(fragments).toEqual(['运费']);
    expect(streamed).toBeInstanceOf(LlmUnavailableError);
    expect(streamed).toMatchObject({ reason: 'server_error' });
  });

  it('asks for JSON mode instead of a schema for servers without structured outputs', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    fake.enqueue({ json: { a: 'x' } }, { json: { a: 'y' } });
    await model({ jsonMode: 'json_object' }).complete({ ...request, responseFormat: { type: 'json_schema', name: 'x', schema } });
    await model().complete({ ...request, responseFormat: { type: 'json_object' } });
    expect(fake.chatRequests().map((sent) => sent.body.response_format)).toEqual([{ type: 'json_object' }, { type: 'json_object' }]);
  });

  it('fails with a non-retryable auth error on 401', async () => {
    fake.enqueue({ status: 401, message: 'bad key' });
    await expect(model().complete(request)).rejects.toMatchObject({ reason: 'auth', isRetryable: false });
  });

  it('gives up on a slow first token within the configured time', async () => {
    fake.slow({ firstTokenMs: 3000 });
    const started = Date.now();
    const error = await collect(model({ firstTokenTimeoutMs: 200, timeoutMs: 5000 }), request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmTimeoutError);
    expect(error).toMatchObject({ phase: 'first_token', timeoutMs: 200, isRetryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('gives up on a stream that stalls after the first token (total deadline)', async () => {
    fake.slow({ betweenChunksMs: 3000 });
    fake.enqueue({ text: 'a long answer that stalls' });
    const fragments: string[] = [];
    const error = await (async () => {
      for await (const fragment of model({ firstTokenTimeoutMs: 200, timeoutMs: 400 }).stream(request)) fragments.push(fragment);
    })().catch((caught: unknown) => caught);
    expect(fragments.length).toBeGreaterThan(0);
    expect(error).toMatchObject({ phase: 'total', timeoutMs: 400 });
  });

  it('times out a slow plain completion, retries included', async () => {
    fake.slow({ firstTokenMs: 3000 });
    const started = Date.now();
    await expect(model({ timeoutMs: 300, maxRetries: 2 }).complete(request)).rejects.toBeInstanceOf(LlmTimeoutError);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a caller abort as a non-retryable aborted error', async () => {
    fake.slow({ firstTokenMs: 3000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(model().complete(request, controller.signal)).rejects.toMatchObject({ reason: 'aborted', isRetryable: false });
  });

  it('reaches an Azure deployment with api-version and the api-key header', async () => {
    fake.enqueue({ text: 'azure ok' });
    const azure = azureDeploymentOptions({ endpoint: fake.origin, deployment: 'gpt-4o-mini', apiVersion: '2024-10-21', apiKey: 'azure-key' });
    const result = await new OpenAiChatModel({ ...azure, maxRetries: 0 }).complete(request);
    expect(result.text).toBe('azure ok');
    const [sent] = fake.chatRequests();
    expect(sent?.path).toBe('/openai/deployments/gpt-4o-mini/chat/completions');
    expect(sent?.query).toEqual({ 'api-version': '2024-10-21' });
    expect(sent?.headers['api-key']).toBe('azure-key');
    expect(sent?.headers.authorization).toBeUndefined();
  });

  it('uses the injected fetch', async () => {
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return fetch(input, init);
    };
    fake.enqueue({ text: 'via custom fetch' });
    await model({ fetch: counting }).complete(request);
    expect(calls).toBe(1);
  });
});
