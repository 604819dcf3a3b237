/**
 * @module A local OpenAI-compatible server for tests (127.0.0.1, random port, `node:http`):
 * `POST …/chat/completions` (plain, and `stream: true` SSE with the usage chunk and `[DONE]`)
 * and `POST …/embeddings` (float or base64). Every body is validated against the official
 * OpenAPI document first; invalid requests are recorded and answered 400, and tests assert
 * `invalidRequests` is empty. Behaviour is scripted per test: a queue of replies, a responder
 * function, failures for the next N calls, delays (server-wide, or per reply with
 * `firstTokenMs`), raw broken bodies (`rawBody`), the embedding dimension.
 *
 * @example
 * const fake = await startFakeOpenAi();
 * fake.enqueue({ json: { covered: true, answer: '…', citations: ['faq-1'] } });
 * const model = new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat' });
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorObject } from 'ajv';
import { fakeEmbedding, toBase64Floats } from './fake-embeddings.js';
import { openAiRequestValidator } from './openapi-validator.js';
import type { Operation, RequestValidator } from './openapi-validator.js';
import { writeChatCompletion } from './chat-completion-response.js';
import { chatView, notJson, readBody, sendError, sendJson } from './http-helpers.js';
import type { ChatReply, ChatRequestView } from './chat-completion-response.js';

export type { ChatReply, ChatRequestView } from './chat-completion-response.js';

export interface RecordedRequest {
  operation: Operation | undefined;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: any;
  /** Spec violations; empty for a valid request. */
  errors: ErrorObject[];
  /** Chat only: false when the client hung up before the reply was complete. */
  completed?: boolean;
}

export interface FakeDelays {
  /** Before the first streamed chunk (after the headers), or before a whole plain response. */
  firstTokenMs?: number;
  /** Between streamed chunks. */
  betweenChunksMs?: number;
}

export interface FakeOpenAi {
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseURL: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  readonly invalidRequests: RecordedRequest[];
  chatRequests(): RecordedRequest[];
  embeddingRequests(): RecordedRequest[];
  /** Replies for the next chat calls, in order. */
  enqueue(...replies: ChatReply[]): void;
  /** Answers chat calls when the queue is empty (default: `{ text: 'ok' }`). */
  respondWith(responder: (request: ChatRequestView) => ChatReply): void;
  /** The next `count` calls (any endpoint) fail with `status` (429, 500…). */
  failNext(count: number, status: number, retryAfterMs?: number): void;
  slow(delays: FakeDelays): void;
  /** Length of the vectors returned (unless the request asks for `dimensions`). Default 64. */
  embeddingDimension: number;
  /** Streamed chunk size, in characters. Default 3. */
  chunkChars: number;
  close(): Promise<void>;
}

/** Starts a fake server; validators load on first start (a second or two, once per process). */
export async function startFakeOpenAi(options: { embeddingDimension?: number } = {}): Promise<FakeOpenAi> {
  const fake = new FakeOpenAiServer(await openAiRequestValidator(), options.embeddingDimension ?? 64);
  await fake.listen();
  return fake;
}

class FakeOpenAiServer implements FakeOpenAi {
  baseURL = '';
  origin = '';
  readonly requests: RecordedRequest[] = [];
  embeddingDimension: number;
  chunkChars = 3;
  private readonly queue: ChatReply[] = [];
  private responder: (request: ChatRequestView) => ChatReply = () => ({ text: 'ok' });
  private readonly failures: Array<{ status: number; retryAfterMs: number | undefined }> = [];
  private delays: FakeDelays = {};
  private readonly server: Server;

  constructor(
    private readonly validate: RequestValidator,
    embeddingDimension: number,
  ) {
    this.embeddingDimension = embeddingDimension;
    this.server = createServer((request, response) => void this.handle(request, response));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.origin = `http://127.0.0.1:${port}`;
    this.baseURL = `${this.origin}/v1`;
  }

  get invalidRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.errors.length > 0);
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === 'createChatCompletion');
  }

  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.operation === 'createEmbedding');
  }

  enqueue(...replies: ChatReply[]): void {
    this.queue.push(...replies);
  }

  respondWith(responder: (request: ChatRequestView) => ChatReply): void {
    this.responder = responder;
  }

  failNext(count: number, status: number, retryAfterMs?: number): void {
    for (let index = 0; index < count; index += 1) this.failures.push({ status, retryAfterMs });
  }

  slow(delays: FakeDelays): void {
    this.delays = delays;
  }

  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.server.closeAllConnections();
      this.server.close((error) => (error ? reject(error) : resolve()));
    });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const operation: Operation | undefined =
        request.method !== 'POST' ? undefined : url.pathname.endsWith('/chat/completions') ? 'createChatCompletion' : url.pathname.endsWith('/embeddings') ? 'createEmbedding' : undefined;
      const text = await readBody(request);
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const errors = operation && body !== undefined ? this.validate(operation, body) : [notJson(operation)];
      const recorded: RecordedRequest = { operation, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body, errors };
      this.requests.push(recorded);
      if (!operation) return sendError(response, 404, 'unknown route');
      if (errors.length > 0) return sendError(response, 400, `invalid request: ${JSON.stringify(errors.slice(0, 3))}`);
      const failure = this.failures.shift();
      if (failure) return sendError(response, failure.status, 'scripted failure', failure.retryAfterMs);
      if (operation === 'createEmbedding') return this.embeddings(body, response);
      const view = chatView(body);
      const reply = this.queue.shift() ?? this.responder(view);
      recorded.completed = await writeChatCompletion(response, body, reply, { ...this.delays, chunkChars: this.chunkChars });
    } catch (error) {
      if (!response.headersSent) sendError(response, 500, `fake server error: ${String(error)}`);
      else response.destroy();
    }
  }

  private embeddings(body: any, response: ServerResponse): void {
    const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
    const dimension: number = typeof body.dimensions === 'number' ? body.dimensions : this.embeddingDimension;
    const data = inputs.map((input, index) => {
      const vector = fakeEmbedding(typeof input === 'string' ? input : JSON.stringify(input), dimension);
      return { object: 'embedding', index, embedding: body.encoding_format === 'base64' ? toBase64Floats(vector) : vector };
    });
    const tokens = inputs.reduce<number>((total, input) => total + String(input).length, 0);
    sendJson(response, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }
}
