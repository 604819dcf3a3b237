/**
 * Who is acting in the console or the API: a signed-in agent, or the service token used by
 * integrations (which sees every group and acts as `service`).
 *
 * @module
 */

/** The caller of an agent route, set by the auth middleware. */
export interface AgentIdentity {
  kind: 'agent' | 'service';
  /** Username, or `service`. */
  id: string;
  /** Display name shown to customers ("客服 小李 已接入"). */
  name: string;
  role: 'agent' | 'lead' | 'service';
  /** Skill groups this caller may see and act on. */
  groups: string[];
  /** The session id (sha256 of the token), for logout and presence; absent for the service token. */
  sessionId?: string;
}

/** Whether `identity` may see conversations of `skillGroup`. */
export function canSee(identity: AgentIdentity, skillGroup: string): boolean {
  return identity.kind === 'service' || identity.role === 'lead' || identity.groups.includes(skillGroup);
}

/** Whether `identity` may see the team-lead view. */
export function isLead(identity: AgentIdentity): boolean {
  return identity.role === 'lead' || identity.role === 'service';
}
