/**
 * The queue of conversations waiting for a person, and what agents do with them. Every move is a
 * conditional update in the store, so two agents never both win, and every move is audited.
 *
 * @module
 */
import { ConflictError, NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventBus } from '../store/event-bus.js';
import type { MessageLog } from '../store/message-log.js';
import type { Conversation, Handoff, HandoffContext, HandoffReason, StoredMessage } from '../store/records.js';
import type { Lang } from '../text/lang.js';
import type { AuditLog } from './audit-log.js';
import { extractiveSummary } from './handoff-summary.js';

/** What the desk asks the queue for: a conversation, why, which group and how urgent. */
export interface HandoffRequest {
  conversation: Conversation;
  reason: HandoffReason;
  skillGroup: string;
  context: Omit<HandoffContext, 'customerTags' | 'failedTurns' | 'lang' | 'channel'>;
  failedTurns: number;
  /** Queue priority from routing (VIP, emotion, rule boost); default 0. */
  priority?: number;
}

/** Who acts: an agent's username and display name, or the service identity. */
export interface AgentRef {
  id: string;
  name: string;
}

/** Texts the service says to customers; the conversation layer owns their wording. */
export interface HandoffTexts {
  agentJoined(lang: Lang, agentName: string): string;
  /** The resolution line; `channel` tells whether a rating card exists (web) or a 1-5 reply is asked for. */
  resolved(lang: Lang, channel: string): string;
  transferred(lang: Lang, groupName: string): string;
  returnedToBot(lang: Lang): string;
  leftQueue(lang: Lang): string;
}

/** Dependencies of `HandoffService`. */
export interface HandoffServiceDeps {
  store: ConversationStore;
  events: EventBus;
  messages: MessageLog;
  texts: HandoffTexts;
  audit: AuditLog;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
  groupName: (id: string, lang: Lang) => string;
  /** Writes the agent's summary (a model); without one, or when it fails, the extractive summary. */
  summarize?: ((transcript: StoredMessage[], reason: HandoffReason, lang: Lang) => Promise<string>) | undefined;
  /** Called after a handoff enters a group's queue (request, transfer, overflow): webhooks. */
  onQueued?: (handoff: Handoff) => Promise<void>;
  /**
   * Called after a change that may let a waiting chat be assigned: one entered a queue
   * (transfer, overflow) or an agent finished one (resolve, return, transfer away).
   */
  onQueueChanged?: () => void;
}

/** Request, accept, reply, resolve; transfers and returns live in `HandoffMoves`. */
export class HandoffService {
  constructor(protected readonly deps: HandoffServiceDeps) {}

  async request(input: HandoffRequest, transcript: StoredMessage[]): Promise<{ handoff: Handoff; position: number }> {
    const { store, events, clock, newId } = this.deps;
    const { conversation } = input;
    const summary = this.deps.summarize
      ? await this.deps.summarize(transcript, input.reason, conversation.lang)
      : extractiveSummary(transcript, input.reason, conversation.lang);
    const at = clock().toISOString();
    const handoff = await store.createHandoff({
      id: newId(),
      conversationId: conversation.id,
      skillGroup: input.skillGroup,
      reason: input.reason,
      priority: input.priority ?? 0,
      summary,
      context: {
        ...input.context, ...(conversation.customer.name ? { customerName: conversation.customer.name } : {}),
        customerTags: conversation.customer.tags, failedTurns: input.failedTurns, lang: conversation.lang, channel: conversation.channel,
      },
      createdAt: at,
    });
    await store.updateConversation(conversation.id, { status: 'queued', failedTurns: input.failedTurns }, at);
    await events.publish({ type: 'handoff-updated', handoff });
    this.deps.logger.info('handoff requested', { conversationId: conversation.id, handoffId: handoff.id, reason: input.reason, skillGroup: input.skillGroup });
    await this.queued(handoff);
    return { handoff, position: await store.queuePosition(handoff.id) };
  }

  async get(id: string): Promise<Handoff> {
    const handoff = await this.deps.store.getHandoff(id);
    if (!handoff) throw new NotFoundError('handoff');
    return handoff;
  }

  /** Exactly one of several concurrent accepts wins; the others get 409 naming the winner. */
  async accept(id: string, agent: AgentRef): Promise<Handoff> {
    const { store, clock } = this.deps;
    const handoff = await this.get(id);
    const at = clock().toISOString();
    const won = await store.transitionHandoff(id, 'waiting', 'accepted', { agentId: agent.id, at });
    if (!won) {
      const current = await this.get(id);
      throw new ConflictError('already_accepted', current.agentId ? `already accepted by ${current.agentId}` : `handoff is ${current.status}`);
    }
    return (await this.joined(handoff, agent, at, () => this.deps.audit.record(agent.id, 'accept', { handoff }))).handoff;
  }

  /**
   * Gives a waiting handoff to `agent` without them accepting (`HANDOFF_AUTO_ASSIGN`): decided
   * once by the store like an accept, and only while the agent is online, seen at or after
   * `seenSince`, with fewer than `capacity` chats. Undefined when this call did not win (taken
   * meanwhile, moved, or the agent is no longer free); else the handoff and "客服 X 已接入".
   */
  async assign(handoff: Handoff, agent: AgentRef, limits: { capacity: number; seenSince: string }): Promise<{ handoff: Handoff; message: StoredMessage } | undefined> {
    const at = this.deps.clock().toISOString();
    const won = await this.deps.store.assignHandoff(handoff.id, { skillGroup: handoff.skillGroup, agentId: agent.id, capacity: limits.capacity, seenSince: limits.seenSince, at });
    if (!won) return undefined;
    const result = await this.joined(handoff, agent, at, () => this.deps.audit.record('system', 'assign', { handoff, detail: { agentId: agent.id } }));
    this.deps.logger.info('handoff assigned', { handoffId: handoff.id, conversationId: handoff.conversationId, agentId: agent.id });
    return result;
  }

  /** After an accept or an assignment won: the conversation is the agent's and the customer is told. */
  private async joined(handoff: Handoff, agent: AgentRef, at: string, audit: () => Promise<unknown>): Promise<{ handoff: Handoff; message: StoredMessage }> {
    await this.deps.store.updateConversation(handoff.conversationId, { status: 'agent' }, at);
    const message = await this.say(handoff, (lang) => this.deps.texts.agentJoined(lang, agent.name), 'agent_joined', at);
    await audit();
    return { handoff: await this.changed(handoff.id, 'agent'), message };
  }

  async reply(id: string, agent: AgentRef, text: string, action: 'reply' | 'helpdesk_reply' = 'reply'): Promise<StoredMessage> {
    const handoff = await this.get(id);
    if (handoff.status !== 'accepted') throw new ConflictError('not_accepted', `handoff is ${handoff.status}; accept it first`);
    if (handoff.agentId !== agent.id) throw new ConflictError('not_your_handoff', 'another agent handles this conversation');
    const conversation = await this.deps.store.getConversation(handoff.conversationId);
    const message = await this.deps.messages.append({
      conversationId: handoff.conversationId, role: 'agent', text, channel: conversation?.channel ?? 'web', citations: [], agentId: agent.id,
      at: this.deps.clock().toISOString(),
    });
    await this.deps.audit.record(agent.id, action, { handoff, detail: { seq: message.seq } });
    return message;
  }

  /** Ends the handoff and asks the customer for a rating (a card on the web, a 1-5 reply elsewhere). */
  async resolve(id: string, agent: AgentRef): Promise<Handoff> {
    const { store, clock } = this.deps;
    const handoff = await this.get(id);
    const at = clock().toISOString();
    const won =
      (await store.transitionHandoff(id, 'accepted', 'resolved', { agentId: agent.id, at })) ||
      (await store.transitionHandoff(id, 'waiting', 'resolved', { agentId: agent.id, at }));
    if (!won) throw new ConflictError('not_open', `handoff is ${handoff.status}`);
    await store.updateConversation(handoff.conversationId, { status: 'closed', failedTurns: 0 }, at);
    await this.say(handoff, (lang, channel) => this.deps.texts.resolved(lang, channel), 'resolved', at);
    await this.deps.audit.record(agent.id, 'resolve', { handoff });
    return this.changed(id, 'closed');
  }

  /** Appends a system line in the customer's language and channel. */
  protected async say(handoff: Handoff, text: (lang: Lang, channel: string) => string, intent: string, at: string): Promise<StoredMessage> {
    const conversation = await this.deps.store.getConversation(handoff.conversationId);
    const lang = conversation?.lang ?? 'zh';
    const channel = conversation?.channel ?? 'web';
    return this.deps.messages.append({ conversationId: handoff.conversationId, role: 'system', text: text(lang, channel), intent, channel, citations: [], at });
  }

  protected async queued(handoff: Handoff): Promise<void> {
    try {
      await this.deps.onQueued?.(handoff);
    } catch (error) {
      // Delivery elsewhere must never undo the handoff itself; the outbox retries.
      this.deps.logger.error('handoff hook failed', { handoffId: handoff.id, error: (error as Error).message });
    }
  }

  protected async changed(id: string, status: string): Promise<Handoff> {
    const handoff = await this.get(id);
    await this.deps.events.publish({ type: 'handoff-updated', handoff });
    await this.deps.events.publish({ type: 'conversation-updated', conversationId: handoff.conversationId, status });
    if (handoff.status !== 'accepted') this.deps.onQueueChanged?.();
    return handoff;
  }
}
