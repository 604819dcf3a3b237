import type {
  AgentAction, AgentSession, AgentStatus, NewTicket, Rating, Ticket, WebhookAttemptResult, WebhookDelivery, WebhookStatus,
} from './console-records.js';
import type { Handoff, HandoffStatus } from './records.js';

/**
 * The part of the persistence port the agent console, tickets, CSAT and webhooks use. Like the
 * rest of the store, everything that must happen once is a conditional update or a unique key.
 */
export interface ConsoleStore {
  /**
   * Moves a handoff to `toGroup` and back to waiting, only if it is still in `from` status and
   * in `fromGroup` (and, when given, held by `agentId`); true when this call made the change.
   * Used for transfers and overflow.
   */
  transferHandoff(id: string, change: { from: HandoffStatus; fromGroup: string; toGroup: string; agentId?: string; at: string }): Promise<boolean>;
  /**
   * Assigns a waiting handoff of `skillGroup` to `agentId` (it becomes accepted, as by an
   * accept) only if the agent has an online session seen at or after `seenSince` and not
   * expired at `at`, and holds fewer than `capacity` accepted handoffs; true when this call made
   * the change. Of racing assigns and accepts of one handoff exactly one wins; racing assigns to
   * one agent run one after another, so `capacity` holds across instances.
   */
  assignHandoff(id: string, change: { skillGroup: string; agentId: string; capacity: number; seenSince: string; at: string }): Promise<boolean>;
  /**
   * Snoozes (稍后处理) an accepted handoff held by `agentId`, until `until` or, with
   * `untilReply`, until the customer writes; true when it was accepted and theirs.
   */
  snoozeHandoff(id: string, change: { agentId: string; until?: string; untilReply: boolean }): Promise<boolean>;
  /** Ends a snooze; true only for the call that found the handoff snoozed until a reply or until after `now`. */
  wakeHandoff(id: string, now: string): Promise<boolean>;
  /**
   * Ends timed snoozes that are due: accepted handoffs snoozed until `now` or earlier. Returns
   * the ids this call ended; racing calls (other instances' sweeps) end each one once.
   */
  endDueSnoozes(now: string): Promise<string[]>;
  /** The `limit` most recently resolved handoffs, newest first (for handle-time estimates). */
  recentlyResolved(limit: number): Promise<Handoff[]>;
  /** Handoffs waiting or accepted now, or created, accepted or resolved at or after `since`. */
  handoffsActiveSince(since: string): Promise<Handoff[]>;
  /**
   * Conversations created at or after `since` in which the customer wrote: how many, how many
   * reached a person (had a handoff), and how many the bot handled alone (no handoff, no failed turn).
   */
  conversationOutcomesSince(since: string): Promise<{ conversations: number; handedOff: number; botResolved: number }>;
  /** Per conversation, the first agent message at or after `since` (for first-response times). */
  firstAgentRepliesSince(since: string): Promise<Array<{ conversationId: string; at: string }>>;

  createAgentSession(session: AgentSession): Promise<void>;
  getAgentSession(id: string): Promise<AgentSession | undefined>;
  /** Records that the session was seen (and optionally its new status); no-op for an unknown id. */
  touchAgentSession(id: string, patch: { lastSeenAt: string; status?: AgentStatus }): Promise<void>;
  deleteAgentSession(id: string): Promise<void>;
  /** Sessions not expired at `now`. */
  listAgentSessions(now: string): Promise<AgentSession[]>;

  recordAgentAction(action: AgentAction): Promise<void>;
  /** Newest first. */
  listAgentActions(filter: { handoffId?: string; conversationId?: string; since?: string; limit: number }): Promise<AgentAction[]>;

  /** Stores a ticket with the next number of `ticket.day` (race-safe across instances). */
  createTicket(ticket: NewTicket): Promise<Ticket>;
  getTicketByNumber(number: string): Promise<Ticket | undefined>;

  /** Stores a rating; false when this handoff was rated already (the first one stays). */
  saveRating(rating: Rating): Promise<boolean>;
  getRating(handoffId: string): Promise<Rating | undefined>;
  /** Ratings given at or after `since`. */
  listRatings(since: string): Promise<Rating[]>;

  /** Queues a delivery; false when its `key` is queued already. */
  enqueueWebhook(delivery: WebhookDelivery): Promise<boolean>;
  /** Pending deliveries and expired leases due at `now`, oldest first. */
  dueWebhooks(now: string, limit: number): Promise<WebhookDelivery[]>;
  /**
   * Leases a due delivery until `leaseUntil` if it still has `attempts` attempts and is due at
   * `now`; exactly one of several concurrent callers gets true.
   */
  claimWebhook(id: string, attempts: number, now: string, leaseUntil: string): Promise<boolean>;
  finishWebhook(id: string, result: WebhookAttemptResult): Promise<void>;
  listWebhooks(filter: { status?: WebhookStatus; limit: number }): Promise<WebhookDelivery[]>;
}
