/**
 * The Kysely view of the database, shared by SQLite and PostgreSQL.
 *
 * Columns are snake_case. JSON fields are TEXT holding JSON and timestamps are ISO-8601 TEXT,
 * so both engines store and sort them the same way; rows are checked with zod when read
 * (see `row-mapping.ts`), which is why enum-like columns are plain `string` here.
 *
 * @module
 */

/** Table `conversations`: one row per customer conversation. */
export interface ConversationsTable {
  id: string;
  channel: string;
  /** JSON of `Customer`. */
  customer: string;
  lang: string;
  status: string;
  failed_turns: number;
  created_at: string;
  updated_at: string;
  /** Copy of `customer.id` for the (channel, customer_id) index (migration 0003); NULL when absent. */
  customer_id: string | null;
}

/** Table `messages`: UNIQUE(conversation_id, seq) makes `seq` race-safe across instances. */
export interface MessagesTable {
  id: string;
  conversation_id: string;
  seq: number;
  role: string;
  text: string;
  channel: string;
  intent: string | null;
  confidence: number | null;
  /** JSON of `Citation[]`. */
  citations: string;
  agent_id: string | null;
  at: string;
  /** Added by `0002`: the emotion read in a customer message. */
  emotion: string | null;
}

/** Table `handoffs`: indexed on (status, skill_group, priority, created_at) for the queue. */
export interface HandoffsTable {
  id: string;
  conversation_id: string;
  skill_group: string;
  reason: string;
  priority: number;
  status: string;
  summary: string;
  /** JSON of `HandoffContext`. */
  context: string;
  agent_id: string | null;
  created_at: string;
  accepted_at: string | null;
  resolved_at: string | null;
  /** 0004: snoozed until this time (ISO), or null. */
  snoozed_until: string | null;
  /** 0004: 1 while snoozed until the customer replies. */
  snoozed_until_reply: number;
}

/** Table `dedupe_keys`: the primary key decides which caller handles something once. */
export interface DedupeKeysTable {
  key: string;
  created_at: string;
}

/** Table `channel_refs` (migration 0003): how a channel reaches a conversation's customer later. */
export interface ChannelRefsTable {
  conversation_id: string;
  channel: string;
  /** JSON object owned by the channel (WeChat openid and app, Teams conversation reference). */
  address: string;
  updated_at: string;
}

/** Table `agent_sessions` (0002): one row per signed-in console or API client; the id is sha256(token). */
export interface AgentSessionsTable {
  id: string;
  agent_id: string;
  status: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Table `agent_actions` (0002): the audit log of every agent action. */
export interface AgentActionsTable {
  id: string;
  agent_id: string;
  action: string;
  handoff_id: string | null;
  conversation_id: string | null;
  /** JSON object with the action's details (target group, note…). */
  detail: string;
  at: string;
}

/** Table `tickets` (0002): UNIQUE(day, seq) and UNIQUE(number) make numbers race-safe. */
export interface TicketsTable {
  id: string;
  number: string;
  day: string;
  seq: number;
  conversation_id: string;
  skill_group: string;
  status: string;
  reason: string;
  summary: string;
  lang: string;
  channel: string;
  promised_by: string;
  created_at: string;
  updated_at: string;
}

/** Table `ratings` (0002): keyed by handoff, so each resolved handoff is rated at most once. */
export interface RatingsTable {
  handoff_id: string;
  conversation_id: string;
  skill_group: string;
  agent_id: string | null;
  score: number;
  comment: string | null;
  channel: string;
  at: string;
}

/** Table `webhook_deliveries` (0002): the outbox of handoffs POSTed to group webhooks. */
export interface WebhookDeliveriesTable {
  id: string;
  key: string;
  handoff_id: string;
  skill_group: string;
  url: string;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  last_status: number | null;
  created_at: string;
  delivered_at: string | null;
}

/** The whole database as Kysely sees it. */
export interface Database {
  conversations: ConversationsTable;
  messages: MessagesTable;
  handoffs: HandoffsTable;
  dedupe_keys: DedupeKeysTable;
  agent_sessions: AgentSessionsTable;
  agent_actions: AgentActionsTable;
  tickets: TicketsTable;
  ratings: RatingsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  channel_refs: ChannelRefsTable;
}
