/**
 * Records of the agent console and what follows a handoff: sessions, the audit log, tickets,
 * CSAT ratings and webhook deliveries.
 *
 * @module
 */
import type { ChannelName, HandoffReason } from './records.js';
import type { Lang } from '../text/lang.js';

/** 在线 / 忙碌 / 离线: only online agents get suggestions and automatic assignments, and count for estimates. */
export type AgentStatus = 'online' | 'busy' | 'offline';

/** A signed-in agent; `id` is sha256 of the bearer token, never the token itself. */
export interface AgentSession {
  id: string;
  agentId: string;
  status: AgentStatus;
  createdAt: string;
  /** Bumped while the console's live stream is open; presence means "seen recently". */
  lastSeenAt: string;
  expiresAt: string;
}

/** One entry of the audit log: who did what to which conversation. */
export interface AgentAction {
  id: string;
  /** Username, or `service` for the service token. */
  agentId: string;
  action: string;
  handoffId?: string;
  conversationId?: string;
  detail: Record<string, unknown>;
  at: string;
}

/** Open until the team answers it. */
export type TicketStatus = 'open' | 'closed';

/** A request taken when nobody could chat: the customer keeps its number to ask later. */
export interface Ticket {
  id: string;
  /** e.g. T20261122-0042: the date in the group's time zone and a daily counter. */
  number: string;
  conversationId: string;
  skillGroup: string;
  status: TicketStatus;
  reason: HandoffReason;
  summary: string;
  lang: Lang;
  channel: ChannelName;
  /** ISO instant by which the team promised to answer. */
  promisedBy: string;
  createdAt: string;
  updatedAt: string;
}

/** What `createTicket` needs; the store picks the number. */
export type NewTicket = Omit<Ticket, 'number' | 'status' | 'updatedAt'> & { day: string };

/** A 1-5 CSAT score for one resolved handoff. */
export interface Rating {
  handoffId: string;
  conversationId: string;
  skillGroup: string;
  agentId?: string;
  score: number;
  comment?: string;
  channel: ChannelName;
  at: string;
}

/** pending → sending (leased) → delivered, or back to pending for a retry, or failed for good. */
export type WebhookStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** One handoff to POST to one group's webhook. */
export interface WebhookDelivery {
  id: string;
  /** Unique: the same handoff is queued at most once per group. */
  key: string;
  handoffId: string;
  skillGroup: string;
  url: string;
  /** The JSON body, fixed at enqueue time so every retry sends the same bytes. */
  payload: string;
  status: WebhookStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  lastStatus?: number;
  createdAt: string;
  deliveredAt?: string;
}

/** The outcome of one attempt, written by the sender that holds the lease. */
export interface WebhookAttemptResult {
  status: 'delivered' | 'pending' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  lastStatus?: number;
  deliveredAt?: string;
}
