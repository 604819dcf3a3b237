import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** The service's Prometheus registry; modules register their own metrics on it. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Counts requests and their latency by route template (not by raw URL, which would put
 * conversation ids, a bearer secret, into labels).
 */
export function httpMetrics(registry: Registry) {
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route'],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const route = request.route?.path !== undefined ? `${request.baseUrl}${String(request.route.path)}` : request.baseUrl || 'static';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ method: request.method, route, status: String(response.statusCode) });
      duration.observe({ method: request.method, route }, seconds);
    });
    next();
  };
}
