/**
 * Who calls an agent route: a signed-in agent (session cookie for the console, or its token as
 * `Authorization: Bearer` for API clients), or an integration with the service token
 * (`AGENT_TOKEN`). EventSource cannot set headers, so `?access_token=` is accepted as well.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { AppError, UnauthorizedError } from '../errors.js';
import type { AgentIdentity } from '../handoff/agent-identity.js';
import type { AgentSessions } from '../handoff/agent-sessions.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by `requireAgent`. */
    agent?: AgentIdentity;
  }
}

/** The console's session cookie. */
export const SESSION_COOKIE = 'kefu_agent';

/** The identity of the service token: every group, acting as `service`. */
export const SERVICE_IDENTITY: AgentIdentity = { kind: 'service', id: 'service', name: '客服', role: 'service', groups: [] };

class ForbiddenError extends AppError {
  constructor(message: string) {
    super('forbidden', message, 403);
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of cookie `name` in the request, if any. */
export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function presentedToken(request: Request): { token: string; viaCookie: boolean } | undefined {
  const header = request.get('authorization');
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), viaCookie: false };
  if (typeof request.query.access_token === 'string') return { token: request.query.access_token, viaCookie: false };
  const cookie = readCookie(request, SESSION_COOKIE);
  return cookie === undefined ? undefined : { token: cookie, viaCookie: true };
}

/**
 * A write sent with the session cookie must be JSON. SameSite=Lax already keeps the cookie off
 * cross-site POSTs; this also refuses same-site forms, which cannot send application/json.
 */
function crossSiteWrite(request: Request): boolean {
  return request.method !== 'GET' && request.method !== 'HEAD' && !request.is('application/json');
}

/**
 * Lets through the service token and live agent sessions, and sets `request.agent`. With
 * `serviceOnly`, agent sessions are refused (routes meant for integrations).
 */
export function requireAgent(options: { agentToken: string; sessions?: AgentSessions; serviceOnly?: boolean }) {
  return (request: Request, _response: Response, next: NextFunction): void => {
    const presented = presentedToken(request);
    if (presented === undefined) return next(new UnauthorizedError('sign in or send the service token'));
    const { token, viaCookie } = presented;
    if (viaCookie && crossSiteWrite(request)) return next(new ForbiddenError('cookie-authenticated writes must send JSON'));
    if (sameSecret(token, options.agentToken)) {
      request.agent = SERVICE_IDENTITY;
      return next();
    }
    if (options.serviceOnly || !options.sessions) return next(new UnauthorizedError('service token required'));
    options.sessions.authenticate(token).then((identity) => {
      if (!identity) return next(new UnauthorizedError('session expired; sign in again'));
      request.agent = identity;
      next();
    }, next);
  };
}

/** Lets through leads and the service token only (team-lead view, webhook failures). */
export function requireLead(request: Request, _response: Response, next: NextFunction): void {
  const role = request.agent?.role;
  if (role === 'lead' || role === 'service') return next();
  next(new ForbiddenError('team leads only'));
}

/** Service-token check for routes outside the console (kept for integrations and tests). */
export function requireAgentToken(token: string) {
  return requireAgent({ agentToken: token, serviceOnly: true });
}

/** The identity set by `requireAgent`; throws if the route was mounted without it. */
export function agentOf(request: Request): AgentIdentity {
  if (!request.agent) throw new UnauthorizedError();
  return request.agent;
}

export { ForbiddenError };
