import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import { AppError } from '../errors.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
}

/** Maps errors to `{"error":{"code","message","requestId"}}`; unknown errors become a plain 500. */
export function errorHandler() {
  return (error: unknown, request: Request, response: Response, _next: NextFunction): void => {
    const requestId = request.requestId;
    const send = (status: number, code: string, message: string, details?: unknown) => {
      if (response.headersSent) return;
      response.status(status).json({ error: { code, message, requestId, ...(details !== undefined ? { details } : {}) } });
    };
    if (error instanceof AppError) return send(error.status, error.code, error.message);
    if (error instanceof ZodError) {
      const issues = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      return send(400, 'invalid_request', issues.map((issue) => `${issue.path || 'body'}: ${issue.message}`).join('; '), issues);
    }
    const parserError = error as BodyParserError;
    if (parserError.type === 'entity.parse.failed') return send(400, 'invalid_json', 'request body is not valid JSON');
    if (parserError.type === 'entity.too.large') return send(413, 'payload_too_large', 'request body is too large');
    if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return send(parserError.status, 'bad_request', parserError.message);
    }
    request.log.error('unhandled error', { error: (error as Error).message, stack: (error as Error).stack });
    send(500, 'internal_error', 'internal error');
  };
}
