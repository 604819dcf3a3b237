/**
 * How the fake writes a chat completion: a plain `chat.completion` object, or with
 * `stream: true` an SSE stream of `chat.completion.chunk` events (role first, then content
 * fragments, then `finish_reason`, the usage chunk when `stream_options.include_usage`, and
 * `data: [DONE]`), as the spec README describes.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** Per-reply timing: overrides the server-wide `slow({ firstTokenMs })` for this one reply. */
export interface ReplyTiming {
  firstTokenMs?: number;
}

/**
 * One scripted chat reply: assistant text, a JSON value (serialized), an error status, or a raw
 * HTTP 200 body written as is (a broken proxy: truncated JSON, HTML, a torn SSE stream).
 */
export type ChatReply =
  | ({ text: string; finishReason?: 'stop' | 'length' | 'content_filter' } & ReplyTiming)
  | ({ json: unknown } & ReplyTiming)
  | { status: number; message?: string }
  | { rawBody: string; contentType?: string };

/** What a responder sees of a chat request. */
export interface ChatRequestView {
  body: any;
  messages: Array<{ role: string; content: string }>;
  /** All system messages, joined. */
  system: string;
  /** All user messages, joined. */
  user: string;
}

export interface WriteOptions {
  firstTokenMs?: number;
  betweenChunksMs?: number;
  chunkChars: number;
}

/** Writes the reply; resolves false when the client went away before the end. */
export async function writeChatCompletion(response: ServerResponse, body: any, reply: ChatReply, options: WriteOptions): Promise<boolean> {
  if ('status' in reply) {
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: reply.message ?? 'scripted error', type: 'server_error', param: null, code: null } }));
    return true;
  }
  if ('rawBody' in reply) {
    response.writeHead(200, { 'content-type': reply.contentType ?? 'application/json' });
    response.end(reply.rawBody);
    return true;
  }
  const firstTokenMs = reply.firstTokenMs ?? options.firstTokenMs ?? 0;
  const content = 'json' in reply ? JSON.stringify(reply.json) : reply.text;
  const finishReason = 'finishReason' in reply && reply.finishReason !== undefined ? reply.finishReason : 'stop';
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const model = String(body.model);
  const usage = { prompt_tokens: JSON.stringify(body.messages).length, completion_tokens: [...content].length, total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (body.stream !== true) {
    await sleep(firstTokenMs, response);
    if (response.destroyed) return false;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason }],
        usage,
      }),
    );
    return true;
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (choices: unknown[], extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.flushHeaders();
  await sleep(firstTokenMs, response);
  const chars = [...content];
  const pieces: string[] = [];
  for (let start = 0; start < chars.length; start += options.chunkChars) pieces.push(chars.slice(start, start + options.chunkChars).join(''));
  response.write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
  for (const [index, piece] of pieces.entries()) {
    if (index > 0) await sleep(options.betweenChunksMs ?? 0, response);
    if (response.destroyed) return false;
    response.write(chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }]));
  }
  if (response.destroyed) return false;
  response.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]));
  if (includeUsage) response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
  response.end('data: [DONE]\n\n');
  return true;
}

/** Waits `ms`, or less when the client goes away. */
function sleep(ms: number, response: ServerResponse): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    }
    response.on('close', done);
  });
}
