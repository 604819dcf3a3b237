/**
 * Who should take a waiting conversation, and when it should move elsewhere. Pure.
 *
 * @module
 */

/** An agent of the group as assignment sees them. */
export interface AgentLoad {
  id: string;
  online: boolean;
  /** Conversations they handle now. */
  active: number;
  capacity: number;
}

/**
 * The online agent with free capacity and the fewest active chats (ties: the first listed, so
 * the order of `skill-groups.yaml` breaks them), or undefined when nobody can take one.
 */
export function leastBusyAgent(agents: AgentLoad[]): string | undefined {
  let best: AgentLoad | undefined;
  for (const agent of agents) {
    if (!agent.online || agent.active >= agent.capacity) continue;
    if (best === undefined || agent.active < best.active) best = agent;
  }
  return best?.id;
}

/** Whether a handoff waiting since `createdAt` has waited `afterSeconds` at `now`. */
export function overflowDue(createdAt: string, afterSeconds: number, now: Date): boolean {
  return now.getTime() - Date.parse(createdAt) >= afterSeconds * 1000;
}
