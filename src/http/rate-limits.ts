import type { Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors.js';

class RateLimitedError extends AppError {
  constructor(message: string) {
    super('rate_limited', message, 429);
  }
}

/** New conversations per client IP per minute: stops one client from flooding the store. */
export function conversationsPerIp(limit: number) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (request: Request) => ipKeyGenerator(request.ip ?? ''),
    handler: (_request, _response, next) => next(new RateLimitedError('too many new conversations; try again in a minute')),
  });
}

/** Customer messages per conversation per minute. */
export function messagesPerConversation(limit: number) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (request: Request) => `conversation:${String(request.params.id)}`,
    handler: (_request, _response, next) => next(new RateLimitedError('too many messages; please wait a moment')),
  });
}

/** Typing and presence pings per key (conversation, or handoff and agent) per minute; no storage behind them. */
export function typingPerKey(key: (request: Request) => string, limit = 40) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_request, _response, next) => next(new RateLimitedError('too many typing updates; slow down')),
  });
}
