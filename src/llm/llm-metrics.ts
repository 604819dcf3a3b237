import { Counter, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { FallbackReason } from './llm-errors.js';

/** The label of `llm_requests_total{outcome}`. */
export type RequestOutcome = 'success' | 'timeout' | 'unavailable' | 'circuit_open' | 'bad_output' | 'aborted' | 'error';

/**
 * Prometheus metrics of model calls, registered on the registry passed in (never the global
 * default one): `llm_requests_total{outcome}`, `llm_fallbacks_total{reason}` and
 * `llm_latency_seconds` (whole call, streamed calls until the last fragment).
 */
export class LlmMetrics {
  private readonly requests: Counter<'outcome'>;
  private readonly fallbacks: Counter<'reason'>;
  private readonly latency: Histogram;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'llm_requests_total',
      help: 'Model calls by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.fallbacks = new Counter({
      name: 'llm_fallbacks_total',
      help: 'Times a caller fell back (extractive answer, embedded intent, original text…) because of the model, by reason.',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'llm_latency_seconds',
      help: 'Duration of model calls in seconds.',
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
      registers: [registry],
    });
  }

  /** Counts one call and its duration (seconds). */
  observeRequest(outcome: RequestOutcome, seconds: number): void {
    this.requests.inc({ outcome });
    if (outcome !== 'circuit_open') this.latency.observe(seconds);
  }

  /** Counts one fallback; callers that own a fallback call it (see `fallbackReasonOf`). */
  recordFallback(reason: FallbackReason): void {
    this.fallbacks.inc({ reason });
  }
}
