import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

type HeaderMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Runs a middleware that only sets the same response headers on every request (helmet with no
 * per-request directives) once, at start-up, and returns one that sets what it set. Helmet is a
 * dozen middlewares in a row; on the customer-message route that chain cost more than the
 * headers themselves.
 */
export function fixedHeaders(middleware: HeaderMiddleware) {
  const set = new Map<string, string | number | readonly string[]>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, value);
      return recorder;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
    getHeader: (name: string) => set.get(name),
  };
  let finished = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    finished = true;
  });
  // A middleware that answers asynchronously or not at all is not fixed: refuse it at start-up.
  if (!finished) throw new Error('fixedHeaders: the middleware did not call next() synchronously');
  const headers = [...set];
  return (_request: Request, response: Response, next: NextFunction): void => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
