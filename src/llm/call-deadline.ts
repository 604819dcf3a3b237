import type { TimeoutPhase } from './llm-errors.js';

/** Which deadline aborted the call, and its length in milliseconds. */
export interface FiredDeadline {
  phase: TimeoutPhase;
  timeoutMs: number;
}

/**
 * The deadlines of one model call as an `AbortSignal`: a total deadline, an optional
 * first-token deadline (cleared by `firstToken()`), and the caller's own signal. `fired` tells
 * a deadline abort from a caller abort. Always `dispose()` in a `finally`.
 */
export class CallDeadline {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timers: Array<ReturnType<typeof setTimeout>> = [];
  private firstTokenTimer: ReturnType<typeof setTimeout> | undefined;
  private firedDeadline: FiredDeadline | undefined;
  private readonly onCallerAbort = () => {
    this.controller.abort(this.callerSignal?.reason);
    this.rejectExpired(new DOMException('the call was cancelled', 'AbortError'));
  };
  private readonly expired: Promise<never>;
  private rejectExpired: (error: unknown) => void = () => undefined;

  constructor(
    timeoutMs: number,
    firstTokenTimeoutMs: number | undefined,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.signal = this.controller.signal;
    this.expired = new Promise<never>((_resolve, reject) => (this.rejectExpired = reject));
    // Nobody may be racing against it; keep the rejection from counting as unhandled.
    this.expired.catch(() => undefined);
    this.timers.push(setTimeout(() => this.fire({ phase: 'total', timeoutMs }), timeoutMs));
    if (firstTokenTimeoutMs !== undefined && firstTokenTimeoutMs < timeoutMs) {
      this.firstTokenTimer = setTimeout(() => this.fire({ phase: 'first_token', timeoutMs: firstTokenTimeoutMs }), firstTokenTimeoutMs);
      this.timers.push(this.firstTokenTimer);
    }
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The deadline that aborted the call, if one did. */
  get fired(): FiredDeadline | undefined {
    return this.firedDeadline;
  }

  /** Call when the first token arrived: the first-token deadline no longer applies. */
  firstToken(): void {
    if (this.firstTokenTimer !== undefined) clearTimeout(this.firstTokenTimer);
    this.firstTokenTimer = undefined;
  }

  /**
   * Resolves like `promise`, or rejects as soon as the call is aborted (deadline or caller), for
   * implementations that do not honour the signal promptly.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    return Promise.race([promise, this.expired]);
  }

  /** Aborts the call without a deadline verdict (the consumer stopped early). */
  cancel(): void {
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException('the consumer stopped reading', 'AbortError'));
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private fire(deadline: FiredDeadline): void {
    if (this.controller.signal.aborted) return;
    this.firedDeadline = deadline;
    this.controller.abort(new DOMException('deadline passed', 'TimeoutError'));
    this.rejectExpired(new DOMException('deadline passed', 'TimeoutError'));
  }
}
