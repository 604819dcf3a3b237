import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger.js';

const VALID_ID = /^[\w.:-]{1,128}$/;

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    log: Logger;
  }
}

/**
 * Takes the caller's `X-Request-Id` when it is a sane token (so traces join up across services),
 * otherwise makes one; echoes it and gives the request a child logger that carries it.
 */
export function requestId(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const inbound = request.get('x-request-id');
    const id = inbound !== undefined && VALID_ID.test(inbound) ? inbound : randomUUID();
    request.requestId = id;
    request.log = logger.child({ requestId: id });
    response.setHeader('X-Request-Id', id);
    next();
  };
}
