/**
 * @module A `ChatModel` decorator that adds deadlines, a circuit breaker and metrics to any
 * chat model. Whatever it throws is a typed llm error, so callers fall back on any throw.
 *
 * @example
 * const model = new ResilientChatModel(new OpenAiChatModel(options), { metrics: new LlmMetrics(registry) });
 */
import type { Logger } from '../logger.js';
import { CallDeadline } from './call-deadline.js';
import type { ChatModel, ChatRequest, ChatResult } from './chat-model.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerOptions } from './circuit-breaker.js';
import { LlmBadOutputError, LlmTimeoutError, LlmUnavailableError, isLlmError } from './llm-errors.js';
import type { LlmError } from './llm-errors.js';
import type { LlmMetrics, RequestOutcome } from './llm-metrics.js';

export interface ResilientChatModelOptions {
  /** Deadline of a whole call in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Streaming: deadline for the first fragment in milliseconds. Default 10 000. */
  firstTokenTimeoutMs?: number;
  /** A breaker to share, or options for a new one (defaults: 5 failures, 30 s cool-down). */
  breaker?: CircuitBreaker | CircuitBreakerOptions;
  metrics?: LlmMetrics;
  logger?: Logger;
  /** Milliseconds clock for latency. Default `performance.now`. */
  now?: () => number;
}

/**
 * Wraps a chat model. Failures that say the server is unhealthy (timeouts, 429/5xx, connection,
 * auth) count towards the breaker; bad output and caller aborts do not. A caller's own deadline
 * (a signal aborted with a `TimeoutError`, e.g. `AbortSignal.timeout` or the turn budget) is a
 * timeout: the model was too slow for the caller, so it counts. While the breaker is open,
 * calls fail at once with `LlmUnavailableError('circuit_open')`.
 */
export class ResilientChatModel implements ChatModel {
  readonly breaker: CircuitBreaker;
  private readonly timeoutMs: number;
  private readonly firstTokenTimeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly inner: ChatModel,
    private readonly options: ResilientChatModelOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.firstTokenTimeoutMs = options.firstTokenTimeoutMs ?? 10_000;
    this.now = options.now ?? (() => performance.now());
    const logger = options.logger;
    this.breaker =
      options.breaker instanceof CircuitBreaker
        ? options.breaker
        : new CircuitBreaker({ ...options.breaker, onStateChange: (from, to) => logger?.warn('llm circuit breaker changed state', { from, to }) });
  }

  async complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    this.acquire();
    const started = this.now();
    const deadline = new CallDeadline(this.timeoutMs, undefined, signal);
    try {
      const result = await deadline.race(this.inner.complete(request, deadline.signal));
      this.succeed(started);
      return result;
    } catch (error) {
      throw this.fail(error, deadline, started, signal);
    } finally {
      deadline.dispose();
    }
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<string> {
    this.acquire();
    const started = this.now();
    const deadline = new CallDeadline(this.timeoutMs, this.firstTokenTimeoutMs, signal);
    let settled = false;
    try {
      const iterator = this.inner.stream(request, deadline.signal)[Symbol.asyncIterator]();
      let innerDone = false;
      try {
        for (;;) {
          const next = await deadline.race(iterator.next());
          if (next.done) break;
          deadline.firstToken();
          yield next.value;
        }
        innerDone = true;
      } finally {
        // The consumer broke out or a deadline passed: stop the inner stream, ignoring its errors.
        if (!innerDone) {
          deadline.cancel();
          void iterator.return?.()?.catch(() => undefined);
        }
      }
      if (deadline.fired) throw new LlmTimeoutError(deadline.fired.phase, deadline.fired.timeoutMs);
      settled = true;
      this.succeed(started);
    } catch (error) {
      settled = true;
      throw this.fail(error, deadline, started, signal);
    } finally {
      // The consumer stopped early: no verdict on the server's health.
      if (!settled) this.breaker.release();
      deadline.dispose();
    }
  }

  private acquire(): void {
    if (this.breaker.tryAcquire()) return;
    this.options.metrics?.observeRequest('circuit_open', 0);
    throw new LlmUnavailableError('circuit_open', 'the model is unavailable (circuit open)');
  }

  private succeed(started: number): void {
    this.breaker.recordSuccess();
    this.options.metrics?.observeRequest('success', (this.now() - started) / 1000);
  }

  private fail(error: unknown, deadline: CallDeadline, started: number, callerSignal: AbortSignal | undefined): LlmError {
    const typed = this.typed(error, deadline, started, callerSignal);
    const outcome = outcomeOf(typed);
    if (outcome === 'bad_output') this.breaker.recordSuccess();
    else if (outcome === 'aborted') this.breaker.release();
    else this.breaker.recordFailure();
    this.options.metrics?.observeRequest(outcome, (this.now() - started) / 1000);
    return typed;
  }

  private typed(error: unknown, deadline: CallDeadline, started: number, callerSignal: AbortSignal | undefined): LlmError {
    const fired = deadline.fired;
    if (fired) return new LlmTimeoutError(fired.phase, fired.timeoutMs, { cause: error });
    const aborted = isLlmError(error) ? error instanceof LlmUnavailableError && error.reason === 'aborted' : deadline.signal.aborted;
    if (aborted && callerSignal?.aborted === true && isTimeoutReason(callerSignal.reason)) {
      return new LlmTimeoutError('total', Math.round(this.now() - started), { cause: error });
    }
    if (isLlmError(error)) return error;
    if (deadline.signal.aborted) return new LlmUnavailableError('aborted', 'the call was cancelled', { cause: error });
    return new LlmUnavailableError('connection', 'the model call failed', { cause: error });
  }
}

/** `AbortSignal.timeout()` (and `AbortSignal.any` over one) aborts with a `TimeoutError` DOMException. */
function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

function outcomeOf(error: LlmError): RequestOutcome {
  if (error instanceof LlmTimeoutError) return 'timeout';
  if (error instanceof LlmBadOutputError) return 'bad_output';
  if (error.reason === 'aborted') return 'aborted';
  return error.reason === 'circuit_open' ? 'circuit_open' : 'unavailable';
}
