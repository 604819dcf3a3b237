/**
 * @module A small circuit breaker: `closed` until `failureThreshold` consecutive failures, then
 * `open` (calls refused) for `cooldownMs`, then `half_open` (one trial call; success closes,
 * failure re-opens). The clock is injected; nothing here schedules timers.
 *
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 30_000 });
 * if (!breaker.tryAcquire()) throw new LlmUnavailableError('circuit_open', '…');
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** Time the circuit stays open before a trial call, in milliseconds. Default 30 000. */
  cooldownMs?: number;
  /** Milliseconds since the epoch; injected for tests. Default `Date.now`. */
  now?: () => number;
  /** Told about every state change (for logs). */
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

export class CircuitBreaker {
  private currentState: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 5);
    this.cooldownMs = Math.max(0, options.cooldownMs ?? 30_000);
    this.now = options.now ?? Date.now;
  }

  /** The state now (an open circuit past its cool-down reads `half_open`). */
  get state(): BreakerState {
    if (this.currentState === 'open' && this.now() - this.openedAt >= this.cooldownMs) this.moveTo('half_open');
    return this.currentState;
  }

  /**
   * Asks to make a call: true when closed, or for the single trial call of a half-open circuit.
   * Every true must be followed by `recordSuccess`, `recordFailure` or `release`.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'half_open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.trialInFlight = false;
    if (this.currentState !== 'closed') this.moveTo('closed');
  }

  recordFailure(): void {
    this.trialInFlight = false;
    this.consecutiveFailures += 1;
    if (this.currentState === 'half_open' || (this.currentState === 'closed' && this.consecutiveFailures >= this.failureThreshold)) {
      this.openedAt = this.now();
      this.moveTo('open');
    }
  }

  /** Ends an acquired call that says nothing about the server's health (e.g. the caller cancelled). */
  release(): void {
    this.trialInFlight = false;
  }

  private moveTo(next: BreakerState): void {
    const previous = this.currentState;
    this.currentState = next;
    this.options.onStateChange?.(previous, next);
  }
}
