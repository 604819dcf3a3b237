/**
 * Automatic assignment (`HANDOFF_AUTO_ASSIGN`): waiting conversations go, most urgent and
 * longest waiting first, to the least busy available agent of their group (online, seen
 * recently, under their chats-per-agent limit). Each assignment is one conditional update in
 * the store, so when several instances try at once exactly one wins, as with a manual accept.
 *
 * Passes run when a handoff is queued (after the customer has read the queue notice), when an
 * agent comes online, when an agent finishes a chat or one is transferred, and on every sweep.
 * Passes in one process run one at a time; requests that arrive meanwhile share the next pass.
 *
 * @module
 */
import type { Logger } from '../logger.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { Handoff, StoredMessage } from '../store/records.js';
import { PRESENCE_WINDOW_MS } from './agent-sessions.js';
import { leastBusyAgent } from './assignment.js';
import type { HandoffService } from './handoff-service.js';
import type { AgentRow, QueueInsights } from './queue-insights.js';

/** A handoff this process assigned, with the "客服 X 已接入" line the customer got. */
export interface Assignment {
  handoff: Handoff;
  message: StoredMessage;
}

/** How long a conversation being handed off is left alone by other passes, at most. */
const HOLD_MS = 30_000;
/** Tries per waiting handoff when the chosen agent was taken meanwhile. */
const TRIES_PER_HANDOFF = 3;

/** Dependencies of `AutoAssigner`. */
export interface AutoAssignerDeps {
  store: ConversationStore;
  insights: QueueInsights;
  handoffs: HandoffService;
  clock: () => Date;
  logger: Logger;
  /** `HANDOFF_AUTO_ASSIGN`; when false every method does nothing. */
  enabled: boolean;
}

/** Runs assignment passes over the waiting queues. */
export class AutoAssigner {
  /** The pass queued behind the running one, shared by everyone who asks meanwhile. */
  #next: Promise<Map<string, Assignment>> | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  /** Conversations whose handoff is being written: their customer reads the queue notice first. */
  readonly #held = new Map<string, number>();

  constructor(private readonly deps: AutoAssignerDeps) {}

  get enabled(): boolean {
    return this.deps.enabled;
  }

  /**
   * Keeps passes away from `conversationId` until `assignNew` (or `release`): the desk calls it
   * before queueing, so the customer's queue notice is stored before "客服 X 已接入".
   */
  hold(conversationId: string): void {
    if (this.deps.enabled) this.#held.set(conversationId, this.deps.clock().getTime() + HOLD_MS);
  }

  release(conversationId: string): void {
    this.#held.delete(conversationId);
  }

  /** Releases the handoff's conversation and runs a pass; the assignment if this handoff got one. */
  async assignNew(handoff: Handoff): Promise<Assignment | undefined> {
    if (!this.deps.enabled) return undefined;
    this.release(handoff.conversationId);
    return (await this.kick()).get(handoff.id);
  }

  /**
   * Schedules a pass (or joins the one already scheduled) and resolves with what it assigned.
   * Never rejects: a failed pass is logged and the next trigger or sweep tries again.
   */
  kick(): Promise<Map<string, Assignment>> {
    if (!this.deps.enabled) return Promise.resolve(new Map());
    if (this.#next) return this.#next;
    const next = this.#tail.then(() => {
      this.#next = undefined;
      return this.pass().catch((error: unknown) => {
        this.deps.logger.error('auto-assignment failed', { error: (error as Error).message });
        return new Map<string, Assignment>();
      });
    });
    this.#next = next;
    this.#tail = next;
    return next;
  }

  /** Resolves once the passes scheduled so far have run (for shutdown and tests). */
  async idle(): Promise<void> {
    await this.#tail;
  }

  /** One pass over every waiting handoff, in queue order (priority, then original wait). */
  private async pass(): Promise<Map<string, Assignment>> {
    const assigned = new Map<string, Assignment>();
    let rows = await this.deps.insights.agents();
    if (!rows.some(available)) return assigned;
    const now = this.deps.clock().getTime();
    for (const [conversationId, until] of this.#held) if (until <= now) this.#held.delete(conversationId);
    for (const handoff of await this.deps.store.listHandoffs({ status: 'waiting' })) {
      if (this.#held.has(handoff.conversationId)) continue;
      for (let attempt = 0; attempt < TRIES_PER_HANDOFF; attempt += 1) {
        const agentId = leastBusyAgent(this.deps.insights.loads(rows, handoff.skillGroup));
        const row = rows.find((candidate) => candidate.id === agentId);
        if (!row) break;
        const seenSince = new Date(this.deps.clock().getTime() - PRESENCE_WINDOW_MS).toISOString();
        const result = await this.deps.handoffs.assign(handoff, { id: row.id, name: row.name }, { capacity: row.capacity, seenSince });
        if (result) {
          row.active += 1;
          assigned.set(handoff.id, result);
          break;
        }
        // Lost: accepted or moved meanwhile (nothing left to do), or the agent is no longer free
        // (another instance gave them a chat, or they went busy): look at the agents again.
        const current = await this.deps.store.getHandoff(handoff.id);
        if (current?.status !== 'waiting' || current.skillGroup !== handoff.skillGroup) break;
        rows = await this.deps.insights.agents();
      }
      if (!rows.some(available)) break;
    }
    return assigned;
  }
}

function available(row: AgentRow): boolean {
  return row.status === 'online' && row.active < row.capacity;
}
