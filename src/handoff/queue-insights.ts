/**
 * Live facts about the queues: who is online with how many chats, the suggested agent for a
 * waiting conversation, the customer's wait estimate, and whether a group can take a chat now.
 *
 * @module
 */
import type { ConversationStore } from '../store/conversation-store.js';
import type { AgentStatus } from '../store/console-records.js';
import type { Handoff } from '../store/records.js';
import type { AgentSessions } from './agent-sessions.js';
import { leastBusyAgent, type AgentLoad } from './assignment.js';
import { isOpen } from './business-hours.js';
import type { HandoffDirectory } from './handoff-directory.js';
import { averageHandleMs, estimateWaitMinutes } from './queue-estimate.js';

/** Resolved handoffs the handle-time average is taken over. */
const HANDLE_SAMPLE = 20;
/** How long the average is reused: it moves slowly and every status push asks for it. */
const AVERAGE_TTL_MS = 30_000;

/** One agent's line in the console and team-lead view. */
export interface AgentRow {
  id: string;
  name: string;
  groups: string[];
  status: AgentStatus;
  active: number;
  capacity: number;
}

/** Presence, load, suggestions and estimates, computed from the store on demand. */
export class QueueInsights {
  #average: { value: number | undefined; at: number } | undefined;

  constructor(private readonly deps: { store: ConversationStore; sessions: AgentSessions; directory: HandoffDirectory; clock: () => Date }) {}

  /** Every configured agent with presence and load; capacity is their smallest group limit. */
  async agents(): Promise<AgentRow[]> {
    const [presence, accepted] = await Promise.all([this.deps.sessions.presence(), this.deps.store.listHandoffs({ status: 'accepted' })]);
    const active = new Map<string, number>();
    for (const handoff of accepted) if (handoff.agentId) active.set(handoff.agentId, (active.get(handoff.agentId) ?? 0) + 1);
    return this.deps.directory.agents().map((agent) => ({
      id: agent.username,
      name: agent.name,
      groups: agent.groups,
      status: presence.get(agent.username) ?? 'offline',
      active: active.get(agent.username) ?? 0,
      capacity: Math.min(...agent.groups.map((id) => this.deps.directory.group(id)?.max_chats_per_agent ?? 5)),
    }));
  }

  /** The online agents of `groupId` as assignment sees them. */
  loads(rows: AgentRow[], groupId: string): AgentLoad[] {
    return rows
      .filter((row) => row.groups.includes(groupId))
      .map((row) => ({ id: row.id, online: row.status === 'online', active: row.active, capacity: row.capacity }));
  }

  /** Least busy online agent of the handoff's group with room: the choice automatic assignment (`auto-assign.ts`) makes. */
  suggest(rows: AgentRow[], handoff: Handoff): string | undefined {
    return handoff.status === 'waiting' ? leastBusyAgent(this.loads(rows, handoff.skillGroup)) : undefined;
  }

  /** Whether the group is in business hours and someone in it is online (or busy) right now. */
  async canTakeChat(groupId: string): Promise<{ open: boolean; staffed: boolean }> {
    const open = isOpen(this.deps.directory.group(groupId)?.hours, this.deps.clock());
    if (!open) return { open, staffed: false };
    const rows = await this.agents();
    return { open, staffed: rows.some((row) => row.groups.includes(groupId) && row.status !== 'offline') };
  }

  /** Minutes a waiting customer at `position` can expect, or undefined when there is no honest figure. */
  async estimate(handoff: Handoff, position: number): Promise<number | undefined> {
    if (handoff.status !== 'waiting' || position <= 0) return undefined;
    const rows = await this.agents();
    const online = rows.filter((row) => row.groups.includes(handoff.skillGroup) && row.status === 'online').length;
    return estimateWaitMinutes({ position, averageHandleMs: await this.averageHandleMs(), agentsOnline: online });
  }

  private async averageHandleMs(): Promise<number | undefined> {
    const now = this.deps.clock().getTime();
    if (this.#average && now - this.#average.at < AVERAGE_TTL_MS) return this.#average.value;
    const value = averageHandleMs(await this.deps.store.recentlyResolved(HANDLE_SAMPLE));
    // "Not enough history" is not cached: the third resolution should count at once.
    this.#average = value === undefined ? undefined : { value, at: now };
    return value;
  }
}
