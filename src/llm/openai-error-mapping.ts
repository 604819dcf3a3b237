import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { LlmTimeoutError, LlmUnavailableError, isLlmError } from './llm-errors.js';
import type { LlmError } from './llm-errors.js';

/** What the adapter knows about the call when an error surfaces. */
export interface ErrorContext {
  /** Set when one of our own deadlines aborted the call (the SDK then reports a user abort). */
  deadline?: { phase: 'total' | 'first_token'; timeoutMs: number } | undefined;
  /** The per-attempt timeout given to the SDK, for its own timeout errors. */
  timeoutMs: number;
}

/**
 * Translates an `openai` SDK error (or anything thrown during a call) into a typed llm error,
 * keeping the original as `cause`. Status mapping: 408 → timeout; 429 → rate_limited;
 * 5xx → server_error; 401/403 → auth; other 4xx → rejected; no response → connection; a body
 * that is not JSON (a broken proxy, a torn stream) → server_error.
 */
export function toLlmError(error: unknown, context: ErrorContext): LlmError {
  if (isLlmError(error)) return error;
  if (context.deadline) return new LlmTimeoutError(context.deadline.phase, context.deadline.timeoutMs, { cause: error });
  if (error instanceof APIConnectionTimeoutError) return new LlmTimeoutError('total', context.timeoutMs, { cause: error });
  if (error instanceof APIUserAbortError || isAbort(error)) return new LlmUnavailableError('aborted', 'the call was cancelled', { cause: error });
  if (error instanceof APIConnectionError) return new LlmUnavailableError('connection', 'cannot reach the model server', { cause: error });
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const options = { cause: error, status };
    if (status === 408) return new LlmTimeoutError('total', context.timeoutMs, { cause: error });
    if (status === 429) return new LlmUnavailableError('rate_limited', 'the model server is rate limiting us', options);
    if (status >= 500) return new LlmUnavailableError('server_error', `the model server failed (${status})`, options);
    if (status === 401 || status === 403) return new LlmUnavailableError('auth', `the model server refused our credentials (${status})`, options);
    return new LlmUnavailableError('rejected', `the model server rejected the request (${status})`, options);
  }
  // The SDK parses response bodies and SSE events with JSON.parse and lets its SyntaxError through.
  if (error instanceof SyntaxError) return new LlmUnavailableError('server_error', 'the model server sent a malformed response', { cause: error });
  return new LlmUnavailableError('connection', 'the model call failed', { cause: error });
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
