import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';
import type { BreakerState } from './circuit-breaker.js';

function breakerAt(options: { failureThreshold: number; cooldownMs: number }) {
  let now = 1_000;
  const changes: Array<[BreakerState, BreakerState]> = [];
  const breaker = new CircuitBreaker({ ...options, now: () => now, onStateChange: (from, to) => changes.push([from, to]) });
  return { breaker, changes, advance: (ms: number) => (now += ms) };
}

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and refuses calls', () => {
    const { breaker } = breakerAt({ failureThreshold: 3, cooldownMs: 1000 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe('closed');
    breaker.tryAcquire();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('counts only consecutive failures', () => {
    const { breaker } = breakerAt({ failureThreshold: 2, cooldownMs: 1000 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
  });

  it('lets one trial call through after the cool-down; success closes it', () => {
    const { breaker, changes, advance } = breakerAt({ failureThreshold: 1, cooldownMs: 1000 });
    breaker.recordFailure();
    advance(999);
    expect(breaker.tryAcquire()).toBe(false);
    advance(1);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half_open'],
      ['half_open', 'closed'],
    ]);
  });

  it('re-opens when the trial call fails, for another cool-down', () => {
    const { breaker, advance } = breakerAt({ failureThreshold: 1, cooldownMs: 1000 });
    breaker.recordFailure();
    advance(1000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    advance(500);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('frees the trial slot on release (no verdict)', () => {
    const { breaker, advance } = breakerAt({ failureThreshold: 1, cooldownMs: 10 });
    breaker.recordFailure();
    advance(10);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
  });
});
