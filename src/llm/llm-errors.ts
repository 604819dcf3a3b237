/**
 * @module Typed errors of the llm module. Adapters translate vendor errors into these at the
 * boundary (`openai-error-mapping.ts`); callers fall back (extractive answer, embedded intent…)
 * on any of them. `isRetryable` says whether the same request may succeed later.
 */
import { AppError } from '../errors.js';

/** Why the model could not be reached or refused the request. */
export type UnavailableReason =
  | 'rate_limited'
  | 'server_error'
  | 'connection'
  | 'auth'
  | 'rejected'
  | 'circuit_open'
  | 'aborted';

/** The model server is down, overloaded, unreachable, refused us, or the breaker is open. */
export class LlmUnavailableError extends AppError {
  /** True for rate limits, 5xx, connection failures and an open breaker; false for auth, 4xx, aborts. */
  readonly isRetryable: boolean;
  /** The HTTP status the model server answered, when it answered. */
  readonly upstreamStatus: number | undefined;
  constructor(
    readonly reason: UnavailableReason,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super('llm_unavailable', message, 503, options);
    this.isRetryable = RETRYABLE.has(reason);
    this.upstreamStatus = options?.status;
  }
}

const RETRYABLE = new Set<UnavailableReason>(['rate_limited', 'server_error', 'connection', 'circuit_open']);

/** Which deadline passed: the whole call, or the wait for the first streamed token. */
export type TimeoutPhase = 'total' | 'first_token';

/** The model did not answer (or start answering) in time. Always retryable. */
export class LlmTimeoutError extends AppError {
  readonly isRetryable = true;
  constructor(
    readonly phase: TimeoutPhase,
    /** The deadline that passed, in milliseconds. */
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super('llm_timeout', `the model did not ${phase === 'first_token' ? 'start answering' : 'answer'} within ${timeoutMs} ms`, 504, options);
  }
}

/** Why an output was rejected. */
export type BadOutputReason = 'malformed_json' | 'schema_mismatch' | 'empty' | 'truncated' | 'content_filter' | 'unsafe_output' | 'embedding_shape';

/** The model answered, but the output is unusable (bad JSON, wrong shape, unsafe). Not retryable. */
export class LlmBadOutputError extends AppError {
  readonly isRetryable = false;
  constructor(
    readonly reason: BadOutputReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('llm_bad_output', message, 502, options);
  }
}

/** The embeddings server returned vectors of another length than configured (or mixed lengths). */
export class EmbeddingDimensionError extends LlmBadOutputError {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super('embedding_shape', `embedding dimension mismatch: expected ${expected}, got ${actual}`);
  }
}

/** Any error of this module. */
export type LlmError = LlmUnavailableError | LlmTimeoutError | LlmBadOutputError;

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmUnavailableError || error instanceof LlmTimeoutError || error instanceof LlmBadOutputError;
}

/** The label of `llm_fallbacks_total{reason}` for an error that made a caller fall back. */
export type FallbackReason = 'timeout' | 'circuit_open' | 'unavailable' | 'rate_limited' | 'bad_output' | 'unsafe_output' | 'error';

export function fallbackReasonOf(error: unknown): FallbackReason {
  if (error instanceof LlmTimeoutError) return 'timeout';
  if (error instanceof LlmUnavailableError) {
    if (error.reason === 'circuit_open' || error.reason === 'rate_limited') return error.reason;
    return 'unavailable';
  }
  if (error instanceof LlmBadOutputError) return error.reason === 'unsafe_output' ? 'unsafe_output' : 'bad_output';
  return 'error';
}
