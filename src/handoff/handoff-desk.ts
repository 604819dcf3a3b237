/**
 * Where the engine hands a conversation over: it routes it to a group, queues it with its
 * priority when the group can take it, or opens a ticket when the group is closed or nobody is
 * online, and writes what the customer is told. Ticket look-ups by number happen here too.
 *
 * @module
 */
import type { IntentPrediction } from '../intent/intent-classifier.js';
import type { KbSnapshot } from '../knowledge/kb-version.js';
import type { RetrievedEntry } from '../rag/retriever.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { Ticket } from '../store/console-records.js';
import type { Conversation, Handoff, HandoffReason, StoredMessage } from '../store/records.js';
import type { Lang } from '../text/lang.js';
import type { Assignment, AutoAssigner } from './auto-assign.js';
import type { EmotionResult } from './emotion/detect-emotion.js';
import type { HandoffDirectory } from './handoff-directory.js';
import type { HandoffService } from './handoff-service.js';
import { extractiveSummary } from './handoff-summary.js';
import type { QueueInsights } from './queue-insights.js';
import { queuePriority, routeConversation } from './routing.js';
import { formatPromise, type TicketService } from './ticket-service.js';

/** Confidence above which a KB match, even too weak to answer, says what the customer is about. */
const TOPIC_CONFIDENCE = 0.3;

/** Texts the desk needs; `conversation/replies.ts` supplies them from `prompts/replies.yaml`. */
export type DeskTextKey =
  | 'handoff_queued' | 'handoff_failed_turns' | 'handoff_emotion' | 'queue_eta' | 'ticket_created_closed' | 'ticket_created_nobody'
  | 'ticket_status_found' | 'ticket_status_not_found' | 'ticket_state_open' | 'ticket_state_closed';
/** Renders a desk text in a language with `{name}` values filled. */
export type DeskTexts = (key: DeskTextKey, lang: Lang, values?: Record<string, string | number>) => string;

/** What the engine knows when it decides to hand off. */
export interface DeskRequest {
  conversation: Conversation;
  customerMessage: StoredMessage;
  reason: HandoffReason;
  failedTurns: number;
  intent: IntentPrediction;
  emotion?: EmotionResult | undefined;
  best: RetrievedEntry | undefined;
  snapshot: KbSnapshot;
}

/** Queued with a place (and an estimate when honest), or a ticket; `notice` is what the customer reads. */
export type DeskOutcome =
  | { kind: 'queued'; handoff: Handoff; position: number; etaMinutes?: number; notice: string }
  | { kind: 'ticket'; ticket: Ticket; notice: string };

/** Routes a handoff to a group, then queues it or opens a ticket; answers ticket look-ups. */
export class HandoffDesk {
  constructor(
    private readonly deps: {
      store: ConversationStore;
      handoffs: HandoffService;
      directory: HandoffDirectory;
      tickets: TicketService;
      insights: QueueInsights;
      texts: DeskTexts;
      /** Open a ticket when the group is in hours but nobody is signed in (`HANDOFF_TICKET_WHEN_NOBODY_ONLINE`). */
      ticketWhenNobodyOnline: boolean;
      /** Gives queued chats to the least busy available agent (`HANDOFF_AUTO_ASSIGN`); none: agents accept. */
      assigner?: AutoAssigner | undefined;
    },
  ) {}

  async handOff(request: DeskRequest): Promise<DeskOutcome> {
    const { conversation, snapshot, best } = request;
    const transcript = await this.deps.store.listMessages(conversation.id);
    const current = best && best.confidence >= TOPIC_CONFIDENCE ? best.entry : undefined;
    // "转人工" matches the KB entry on how to reach a person, which says nothing of the topic: for
    // an explicit request, what the bot last answered from tells it better.
    const topic = request.reason === 'asked'
      ? (lastCitedEntry(transcript, snapshot) ?? current)
      : (current ?? lastCitedEntry(transcript, snapshot));
    const route = routeConversation(
      this.deps.directory.rules,
      { ...(topic ? { category: topic.category } : {}), intent: request.intent.intent, lang: conversation.lang, channel: conversation.channel, tags: conversation.customer.tags },
      { entryGroup: topic && this.deps.directory.group(topic.skillGroup) ? topic.skillGroup : undefined, defaultGroup: this.deps.directory.defaultGroup },
    );
    const lang = conversation.lang;
    const group = this.deps.directory.groupName(route.group, lang);
    const { open, staffed } = await this.deps.insights.canTakeChat(route.group);
    if (!open || (!staffed && this.deps.ticketWhenNobodyOnline)) {
      const { ticket, opensAt } = await this.deps.tickets.open(conversation, {
        skillGroup: route.group, reason: request.reason, summary: extractiveSummary(transcript, request.reason, lang),
      });
      const zone = this.deps.tickets.timeZoneOf(route.group);
      const values = { number: ticket.number, group, promise: formatPromise(new Date(ticket.promisedBy), lang, zone), ...(opensAt ? { opens: formatPromise(opensAt, lang, zone) } : {}) };
      return { kind: 'ticket', ticket, notice: this.deps.texts(open ? 'ticket_created_nobody' : 'ticket_created_closed', lang, values) };
    }
    const citations = [...new Map(transcript.flatMap((message) => message.citations).map((citation) => [citation.entryId, citation])).values()];
    // Until the engine has stored the queue notice (then it calls `assignQueued`).
    this.deps.assigner?.hold(conversation.id);
    const { handoff, position } = await this.deps.handoffs.request({
      conversation, reason: request.reason, skillGroup: route.group, failedTurns: request.failedTurns,
      priority: queuePriority({ tags: conversation.customer.tags, emotion: request.emotion?.emotion, boost: route.rule?.queue_boost }),
      context: {
        intent: request.intent.intent, confidence: Math.round(request.intent.confidence * 1000) / 1000, triggerMessage: request.customerMessage.text, citations,
        ...(request.emotion && request.emotion.emotion !== 'neutral' ? { emotion: request.emotion.emotion } : {}),
      },
    }, transcript).catch((error: unknown) => {
      this.deps.assigner?.release(conversation.id);
      throw error;
    });
    const etaMinutes = await this.deps.insights.estimate(handoff, position);
    const key = request.reason === 'asked' ? 'handoff_queued' : request.reason === 'emotion' ? 'handoff_emotion' : 'handoff_failed_turns';
    const eta = etaMinutes === undefined ? '' : this.deps.texts('queue_eta', lang, { minutes: etaMinutes });
    return { kind: 'queued', handoff, position, ...(etaMinutes !== undefined ? { etaMinutes } : {}), notice: `${this.deps.texts(key, lang, { group, position })}${eta}` };
  }

  /**
   * Called once the customer's queue notice is stored: with `HANDOFF_AUTO_ASSIGN` an available
   * agent of the group may take the chat now (the customer then reads "客服 X 已接入"). Never
   * throws: when assignment fails the chat simply waits for an accept or the next pass.
   */
  async assignQueued(handoff: Handoff): Promise<Assignment | undefined> {
    const { assigner } = this.deps;
    if (!assigner?.enabled) return undefined;
    return assigner.assignNew(handoff);
  }

  /** The reply to a message that names a ticket number, in any channel. */
  async ticketStatus(number: string, lang: Lang): Promise<string> {
    const ticket = await this.deps.tickets.lookup(number);
    if (!ticket) return this.deps.texts('ticket_status_not_found', lang, { number });
    const zone = this.deps.tickets.timeZoneOf(ticket.skillGroup);
    return this.deps.texts('ticket_status_found', lang, {
      number: ticket.number,
      group: this.deps.directory.groupName(ticket.skillGroup, lang),
      status: this.deps.texts(ticket.status === 'open' ? 'ticket_state_open' : 'ticket_state_closed', lang),
      created: formatPromise(new Date(ticket.createdAt), lang, zone),
      promise: formatPromise(new Date(ticket.promisedBy), lang, zone),
    });
  }
}

function lastCitedEntry(transcript: StoredMessage[], snapshot: KbSnapshot) {
  for (let at = transcript.length - 1; at >= 0; at -= 1) {
    const citation = transcript[at]?.citations[0];
    const entry = citation ? snapshot.entries.get(citation.entryId) : undefined;
    if (entry) return entry;
  }
  return undefined;
}
