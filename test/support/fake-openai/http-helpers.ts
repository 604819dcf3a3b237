/** Small HTTP helpers of the fake OpenAI server. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorObject } from 'ajv';
import type { ChatRequestView } from './chat-completion-response.js';
import type { Operation } from './openapi-validator.js';

export function chatView(body: any): ChatRequestView {
  const messages: Array<{ role: string; content: string }> = (body.messages ?? []).map((message: any) => ({
    role: String(message.role),
    content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
  }));
  return {
    body,
    messages,
    system: messages.filter((message) => message.role === 'system').map((message) => message.content).join('\n'),
    user: messages.filter((message) => message.role === 'user').map((message) => message.content).join('\n'),
  };
}

export function notJson(operation: Operation | undefined): ErrorObject {
  return { instancePath: '', schemaPath: '', keyword: operation ? 'json' : 'route', params: {}, message: operation ? 'body is not JSON' : 'unknown route' };
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export function sendJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(value));
}

export function sendError(response: ServerResponse, status: number, message: string, retryAfterMs?: number): void {
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(response, status, { error: { message, type, param: null, code: null } }, retryAfterMs !== undefined ? { 'retry-after-ms': String(retryAfterMs) } : {});
}
