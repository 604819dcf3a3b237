import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { fixedHeaders } from './fixed-headers.js';

/** A response that keeps the headers set on it, starting from `initial`. */
function recordingResponse(initial: Record<string, string> = {}) {
  const headers = new Map(Object.entries(initial).map(([name, value]) => [name.toLowerCase(), value]));
  const response = {
    headers,
    setHeader(name: string, value: unknown) {
      headers.set(name.toLowerCase(), String(value));
      return response;
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
    getHeader: (name: string) => headers.get(name.toLowerCase()),
  };
  return response;
}

const request = { headers: {}, method: 'POST', url: '/api/v1/conversations/c1/messages' };

describe('fixedHeaders', () => {
  it("sets exactly the headers helmet sets, and removes what it removes", () => {
    const direct = recordingResponse({ 'X-Powered-By': 'Express' });
    let nextCalls = 0;
    helmet()(request as IncomingMessage, direct as unknown as ServerResponse, () => (nextCalls += 1));
    const replayed = recordingResponse({ 'X-Powered-By': 'Express' });
    fixedHeaders(helmet())(request as Request, replayed as unknown as Response, (() => (nextCalls += 1)) as NextFunction);
    expect(nextCalls).toBe(2);
    expect(Object.fromEntries(replayed.headers)).toEqual(Object.fromEntries(direct.headers));
    expect(replayed.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(replayed.headers.get('x-content-type-options')).toBe('nosniff');
    expect(replayed.headers.has('x-powered-by')).toBe(false);
  });

  it('refuses, at start-up, a middleware that does not finish at once or fails', () => {
    expect(() => fixedHeaders(() => undefined)).toThrow(/synchronously/);
    expect(() => fixedHeaders((_request, _response, next) => next(new Error('bad directive')))).toThrow('bad directive');
  });
});
