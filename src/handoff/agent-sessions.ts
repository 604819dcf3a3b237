/**
 * Agent sign-in: passwords checked against `skill-groups.yaml`, sessions kept in the store
 * (so any instance serves any agent), tokens handed out once and stored only as sha256.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AgentSession, AgentStatus } from '../store/console-records.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { AgentIdentity } from './agent-identity.js';
import type { HandoffDirectory } from './handoff-directory.js';
import { DUMMY_HASH, verifyPassword } from './password.js';

/** How long since the console's stream was last seen an agent still counts as present. */
export const PRESENCE_WINDOW_MS = 90_000;

/** sha256 of a bearer token, the session's id in the store. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Signs agents in and out and turns a token back into an identity. */
export class AgentSessions {
  constructor(
    private readonly deps: {
      store: ConversationStore;
      directory: HandoffDirectory;
      clock: () => Date;
      /** Session lifetime in ms (`AGENT_SESSION_TTL_HOURS`). */
      ttlMs: number;
      logger: Logger;
      /** Called when an agent becomes available for chats: signed in, back online, or seen again. */
      onAvailable?: ((agentId: string) => void) | undefined;
    },
  ) {}

  /** Checks the password; on success stores a session and returns its token (shown once). */
  async login(username: string, password: string): Promise<{ token: string; session: AgentSession; identity: AgentIdentity }> {
    const agent = this.deps.directory.agent(username);
    // An unknown user costs the same scrypt as a known one, so timing does not tell them apart.
    const ok = await verifyPassword(password, agent?.password_hash ?? DUMMY_HASH);
    if (!agent || !ok) throw new UnauthorizedError('wrong username or password');
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock();
    const session: AgentSession = {
      id: sessionIdOf(token), agentId: agent.username, status: 'online', createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(), expiresAt: new Date(now.getTime() + this.deps.ttlMs).toISOString(),
    };
    await this.deps.store.createAgentSession(session);
    this.deps.logger.info('agent signed in', { agentId: agent.username });
    this.deps.onAvailable?.(agent.username);
    return { token, session, identity: this.identityOf(session) };
  }

  /** The identity of a live session token, or undefined (unknown, expired, or agent removed). */
  async authenticate(token: string): Promise<AgentIdentity | undefined> {
    const session = await this.deps.store.getAgentSession(sessionIdOf(token));
    if (!session || session.expiresAt <= this.deps.clock().toISOString()) return undefined;
    if (!this.deps.directory.agent(session.agentId)) return undefined;
    return this.identityOf(session);
  }

  /** The stored session (for its status), if it still exists. */
  get(sessionId: string): Promise<AgentSession | undefined> {
    return this.deps.store.getAgentSession(sessionId);
  }

  async logout(sessionId: string): Promise<void> {
    await this.deps.store.deleteAgentSession(sessionId);
  }

  /** Marks the session seen now (the console's stream is open), optionally with a new status. */
  async touch(sessionId: string, status?: AgentStatus): Promise<void> {
    const now = this.deps.clock();
    const before = this.deps.onAvailable ? await this.deps.store.getAgentSession(sessionId) : undefined;
    await this.deps.store.touchAgentSession(sessionId, { lastSeenAt: now.toISOString(), ...(status ? { status } : {}) });
    if (!before || (status ?? before.status) !== 'online') return;
    // Available now but not a moment ago: newly online, or back after their console was away.
    const wasAway = before.status !== 'online' || now.getTime() - Date.parse(before.lastSeenAt) > PRESENCE_WINDOW_MS;
    if (wasAway) this.deps.onAvailable?.(before.agentId);
  }

  /** Each agent's status now: online or busy when a session was seen recently, else offline. */
  async presence(): Promise<Map<string, AgentStatus>> {
    const now = this.deps.clock();
    const sessions = await this.deps.store.listAgentSessions(now.toISOString());
    const result = new Map<string, AgentStatus>();
    for (const session of sessions) {
      if (now.getTime() - Date.parse(session.lastSeenAt) > PRESENCE_WINDOW_MS) continue;
      const current = result.get(session.agentId);
      // Any online session makes the agent online; busy beats offline.
      if (current !== 'online') result.set(session.agentId, session.status === 'offline' ? (current ?? 'offline') : session.status);
    }
    return result;
  }

  private identityOf(session: AgentSession): AgentIdentity {
    const agent = this.deps.directory.agent(session.agentId);
    return {
      kind: 'agent', id: session.agentId, name: agent?.name ?? session.agentId, role: agent?.role ?? 'agent',
      groups: this.deps.directory.groupsOf(session.agentId), sessionId: session.id,
    };
  }
}
