/**
 * Sign-in for agents: `POST /api/v1/agent/login` gives a session both as an HttpOnly cookie (the
 * console) and as a bearer token (API clients); wrong passwords are rate-limited per IP and
 * username; every sign-in, sign-out and status change is audited.
 *
 * @module
 */
import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors.js';
import type { AgentSessions } from '../handoff/agent-sessions.js';
import type { AuditLog } from '../handoff/audit-log.js';
import type { HandoffDirectory } from '../handoff/handoff-directory.js';
import { firstResponseTarget } from '../handoff/customer-wait.js';
import { agentOf, requireAgent, SESSION_COOKIE } from './agent-auth.js';
import { agentStatusBody, loginBody } from './schemas.js';

/** Window of the wrong-password limit. */
const LOGIN_WINDOW_MS = 15 * 60_000;

/** Dependencies of `agentSessionRoutes`. */
export interface AgentSessionRouteDeps {
  sessions: AgentSessions;
  audit: AuditLog;
  directory: HandoffDirectory;
  agentToken: string;
  /** Wrong passwords allowed per IP and username per 15 minutes. */
  loginMaxFailures: number;
  /** Mark the cookie Secure (behind HTTPS in production). */
  secureCookies: boolean;
}

function setCookie(response: Response, value: string, maxAgeMs: number, secure: boolean): void {
  response.cookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: maxAgeMs });
}

/** `/api/v1/agent`: login, logout, me, status. */
export function agentSessionRoutes(deps: AgentSessionRouteDeps): Router {
  const router = Router();
  const authed = requireAgent({ agentToken: deps.agentToken, sessions: deps.sessions });
  const profile = (request: Request) => {
    const agent = agentOf(request);
    return {
      id: agent.id, name: agent.name, role: agent.role, kind: agent.kind,
      groups: (agent.kind === 'service' ? deps.directory.groups().map((group) => group.id) : agent.groups).map((id) => {
        const group = deps.directory.group(id);
        return {
          id, name: group?.name ?? { zh: id }, slaSeconds: group?.sla_seconds ?? 300, maxChatsPerAgent: group?.max_chats_per_agent ?? 5,
          firstResponseTargetSeconds: firstResponseTarget(group),
        };
      }),
      // Every group, for the transfer dialog, and colleagues' display names ("已被 小王 接入").
      allGroups: deps.directory.groups().map((group) => ({ id: group.id, name: group.name })),
      colleagues: deps.directory.agents().map((item) => ({ id: item.username, name: item.name })),
    };
  };

  const loginLimit = rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit: deps.loginMaxFailures,
    // Only wrong passwords count: a successful sign-in does not use up the allowance.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (request: Request) => {
      const body = request.body as { username?: unknown } | undefined;
      const username = typeof body?.username === 'string' ? body.username.trim().toLowerCase().slice(0, 64) : '';
      return `${ipKeyGenerator(request.ip ?? '')}|${username}`;
    },
    handler: (_request, _response, next) => next(new AppError('rate_limited', 'too many wrong passwords; try again in 15 minutes', 429)),
  });

  router.post('/login', loginLimit, async (request, response) => {
    const body = loginBody.parse(request.body ?? {});
    const { token, session, identity } = await deps.sessions.login(body.username.trim().toLowerCase(), body.password);
    setCookie(response, token, Date.parse(session.expiresAt) - Date.parse(session.createdAt), deps.secureCookies);
    await deps.audit.record(identity.id, 'login', { detail: { ip: request.ip ?? '' } });
    request.agent = identity;
    response.json({ token, expiresAt: session.expiresAt, agent: { ...profile(request), status: session.status } });
  });

  router.post('/logout', authed, async (request, response) => {
    const agent = agentOf(request);
    if (agent.sessionId) {
      await deps.sessions.logout(agent.sessionId);
      await deps.audit.record(agent.id, 'logout');
    }
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.status(204).end();
  });

  router.get('/me', authed, async (request, response) => {
    const sessionId = agentOf(request).sessionId;
    const session = sessionId ? await deps.sessions.get(sessionId) : undefined;
    response.json({ agent: { ...profile(request), status: session?.status ?? 'online' } });
  });

  /** 在线 / 忙碌 / 离线: busy agents keep their chats but get no new suggestions. */
  router.post('/status', authed, async (request, response) => {
    const { status } = agentStatusBody.parse(request.body ?? {});
    const agent = agentOf(request);
    if (agent.sessionId) await deps.sessions.touch(agent.sessionId, status);
    await deps.audit.record(agent.id, 'status', { detail: { status } });
    response.json({ status });
  });

  return router;
}
