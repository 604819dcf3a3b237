import { NotFoundError } from '../errors.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { CsatService } from '../handoff/csat-service.js';
import { parseRatingReply } from '../handoff/csat.js';
import type { EmotionDetector, EmotionResult } from '../handoff/emotion/detect-emotion.js';
import type { HandoffDesk } from '../handoff/handoff-desk.js';
import { findTicketNumber } from '../handoff/ticket-number.js';
import { extraTrigger, type TriggerSettings } from '../handoff/triggers.js';
import type { IntentClassifier, IntentPrediction } from '../intent/intent-classifier.js';
import type { Citation } from '../knowledge/kb-entry.js';
import type { GroundedAnswer } from '../llm/grounded-answer.js';
import type { HistoryTurn } from '../llm/history-turn.js';
import type { KbSnapshot } from '../knowledge/kb-version.js';
import type { LiveKnowledge } from '../knowledge/live-knowledge.js';
import type { Logger } from '../logger.js';
import type { Retriever, RetrievedEntry } from '../rag/retriever.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { MessageLog } from '../store/message-log.js';
import type { ChannelName, Conversation, Customer, Handoff, StoredMessage } from '../store/records.js';
import { detectLang, pick, type Lang } from '../text/lang.js';
import { KeyedMutex } from '../util/keyed-mutex.js';
import type { Replies } from './replies.js';
import type { LlmAnswerer } from './llm-answerer.js';
import { applyModelVerdict, decideTurn, wantsModelAnswer, type TurnDecision, type TurnThresholds } from './turn-decision.js';

export interface BotReply {
  text: string;
  intent: string;
  confidence: number;
  citations: Citation[];
}

export interface TurnResult {
  conversation: Conversation;
  reply: BotReply | null;
  handoff: { handoff: Handoff; position: number } | null;
  /** Every message this turn stored, in order (the customer's first). */
  messages: StoredMessage[];
}

/** How a caller follows a turn as it happens. */
export interface TurnOptions {
  /** Receives the answer text piece by piece while a model writes it. */
  onDelta?: ((text: string) => void) | undefined;
  /** Set by the engine: the deadline shared by the turn's model calls. */
  modelBudget?: AbortSignal;
  /**
   * The customer's message as an earlier, failed attempt of this turn already stored it (a
   * channel retrying a push): it is answered again instead of being stored a second time.
   */
  customerMessage?: StoredMessage;
  /** Called once the customer's message is stored, so a caller whose turn fails later knows it was. */
  onCustomerMessage?: (message: StoredMessage) => void;
}

export interface EngineDeps {
  store: ConversationStore;
  messages: MessageLog;
  knowledge: LiveKnowledge;
  retriever: Retriever;
  classifier: IntentClassifier;
  handoffs: HandoffService;
  replies: Replies;
  thresholds: TurnThresholds;
  /** Routes handoffs, opens tickets when nobody can chat, answers ticket look-ups by number. */
  desk: HandoffDesk;
  /** Reads each customer message's emotion: shown to agents, and the emotion trigger. */
  emotion: EmotionDetector;
  /** Extra handoff triggers (`HANDOFF_ON_EMOTION`, `HANDOFF_INTENTS`, `HANDOFF_TAGS`). */
  triggers: TriggerSettings;
  /** Takes a bare 1-5 reply right after a resolved handoff as its rating. */
  csat: CsatService;
  /**
   * Wakes the conversation's snoozed (稍后处理) handoff, once however many instances try; asked
   * only for a conversation with an agent, the only kind a snooze can be on.
   */
  wakeSnoozed?: ((conversationId: string) => Promise<unknown>) | undefined;
  /** Writes answers from the retrieved passages when a model is configured; extractive without. */
  llm?: LlmAnswerer | undefined;
  clock: () => Date;
  newId: () => string;
  logger: Logger;
}

/** Entries retrieved per turn: the best answers it, the others help choose a skill group. */
const RETRIEVE_K = 5;
/** Earlier messages a model sees: enough for a follow-up, few enough to stay cheap. */
const HISTORY_TURNS = 6;

/** The conversation engine: one customer turn, from the stored message to the stored reply. */
export class ConversationEngine {
  private readonly mutex = new KeyedMutex();

  constructor(private readonly deps: EngineDeps) {}

  async start(input: { channel: ChannelName; customer: Customer; id?: string }): Promise<{ conversation: Conversation; messages: StoredMessage[] }> {
    const at = this.deps.clock().toISOString();
    const lang = input.customer.lang ?? 'zh';
    const conversation: Conversation = {
      id: input.id ?? this.deps.newId(),
      channel: input.channel,
      customer: input.customer,
      lang,
      status: 'bot',
      failedTurns: 0,
      createdAt: at,
      updatedAt: at,
    };
    await this.deps.store.createConversation(conversation);
    const greeting = await this.deps.messages.append({
      conversationId: conversation.id, role: 'bot', text: this.deps.replies.render('greeting', lang), channel: input.channel, intent: 'greeting', citations: [], at,
    });
    this.deps.logger.info('conversation started', { conversationId: conversation.id, channel: input.channel });
    return { conversation, messages: [greeting] };
  }

  async get(id: string): Promise<Conversation> {
    const conversation = await this.deps.store.getConversation(id);
    if (!conversation) throw new NotFoundError('conversation');
    return conversation;
  }

  /** Stores the customer's message first (nothing is lost if a later step fails), then answers it. */
  handleCustomerMessage(id: string, text: string, options: TurnOptions = {}): Promise<TurnResult> {
    return this.mutex.run(id, async () => {
      const existing = await this.get(id);
      const lang = detectLang(text, existing.lang);
      const at = this.deps.clock().toISOString();
      const modelBudget = this.deps.llm?.turnSignal();
      const emotion = await this.deps.emotion(text, modelBudget);
      const stored = options.customerMessage?.conversationId === id ? options.customerMessage : undefined;
      const customerMessage = stored ?? await this.deps.messages.append({
        conversationId: id, role: 'customer', text, channel: existing.channel, citations: [], at, ...(emotion.emotion !== 'neutral' ? { emotion: emotion.emotion } : {}),
      });
      options.onCustomerMessage?.(customerMessage);
      if (existing.status === 'closed') {
        const rated = await this.rateFromReply(existing, customerMessage);
        if (rated) return rated;
      }
      const reopened = existing.status === 'closed';
      const conversation: Conversation = { ...existing, lang, ...(reopened ? { status: 'bot' as const, failedTurns: 0 } : {}) };
      // A bot turn that answers saves a new language with its failed-turn count, in one write.
      const answeredByBot = conversation.status === 'bot';
      if (reopened || (lang !== existing.lang && !answeredByBot)) {
        await this.deps.store.updateConversation(id, { lang, ...(reopened ? { status: 'bot' as const, failedTurns: 0 } : {}) }, at);
      }
      const unsavedLang = !reopened && lang !== existing.lang;
      const logger = this.deps.logger.child({ conversationId: id, channel: conversation.channel });
      if (conversation.status === 'queued' || conversation.status === 'agent') {
        logger.debug('message relayed to agent');
        // The message is stored: a failed wake is the agent's loss of a reminder, not the customer's message.
        if (conversation.status === 'agent') await this.deps.wakeSnoozed?.(id).catch((error: unknown) => logger.warn('snooze wake failed', { error: (error as Error).message }));
        const latest = await this.deps.store.latestHandoff(id);
        const position = latest && latest.status === 'waiting' ? await this.deps.store.queuePosition(latest.id) : 0;
        return { conversation, reply: null, handoff: latest ? { handoff: latest, position } : null, messages: [customerMessage] };
      }
      return this.botTurn(conversation, customerMessage, logger, emotion, { ...options, ...(modelBudget ? { modelBudget } : {}) }, unsavedLang);
    });
  }

  /** `unsavedLang`: the conversation's language changed with this message and is not stored yet. */
  private async botTurn(conversation: Conversation, customerMessage: StoredMessage, logger: Logger, emotion: EmotionResult, options: TurnOptions, unsavedLang: boolean): Promise<TurnResult> {
    const saveLang = () => (unsavedLang ? this.deps.store.updateConversation(conversation.id, { lang: conversation.lang }, this.deps.clock().toISOString()) : Promise.resolve());
    const ticketNumber = findTicketNumber(customerMessage.text);
    if (ticketNumber) {
      await saveLang();
      return this.botSays(conversation, customerMessage, await this.deps.desk.ticketStatus(ticketNumber, conversation.lang), 'ticket_status');
    }
    const snapshot = this.deps.knowledge.current();
    const intent = await this.deps.classifier.classify(customerMessage.text, options.modelBudget);
    const { llm, thresholds } = this.deps;
    const history = llm ? await this.historyBefore(customerMessage) : [];
    // "那运费呢?" means nothing to the index; the model makes it a standalone question first.
    const question = llm && history.some((turn) => turn.role === 'customer') ? await llm.rewrite(customerMessage.text, history, options.modelBudget) : customerMessage.text;
    const retrieval = await this.deps.retriever.retrieve(snapshot, question, { k: RETRIEVE_K });
    const best = retrieval.results[0];
    let decision = decideTurn(intent, best, conversation.failedTurns, thresholds);
    let modelReply: BotReply | undefined;
    if (llm && best && wantsModelAnswer(decision, best, thresholds)) {
      const outcome = await llm.answer({ question, lang: conversation.lang, passages: retrieval.results, history, onDelta: options.onDelta, signal: options.modelBudget });
      if (outcome.kind === 'answered') {
        const complaint = intent.intent === 'complaint' && intent.confidence >= thresholds.intent;
        decision = applyModelVerdict(outcome.answer.covered, best, conversation.failedTurns, thresholds, complaint);
        if (outcome.answer.covered) modelReply = this.modelReply(outcome.answer, retrieval.results, best, conversation.lang, snapshot.manifest.version);
      }
    }
    if (decision.kind !== 'handoff') {
      const intentSure = intent.confidence >= this.deps.thresholds.intent;
      const reason = extraTrigger({ emotion: emotion.emotion, intent: intent.intent, intentSure, tags: conversation.customer.tags }, this.deps.triggers);
      if (reason) decision = { kind: 'handoff', reason, failedTurns: decision.failedTurns };
    }
    logger.info('bot turn', {
      intent: intent.intent,
      intentConfidence: round(intent.confidence),
      kbVersion: snapshot.manifest.version,
      bestEntry: best?.entry.id,
      retrievalConfidence: best ? round(best.confidence) : 0,
      decision: decision.kind,
      answeredBy: modelReply ? 'model' : 'kb',
      emotion: emotion.emotion,
    });
    if (decision.kind === 'handoff') {
      await saveLang();
      return this.handOff(conversation, customerMessage, decision, intent, best, snapshot, emotion);
    }

    const reply = decision.kind === 'answer' && modelReply ? modelReply : this.replyFor(decision, intent, conversation.lang, snapshot.manifest.version);
    const at = this.deps.clock().toISOString();
    await this.deps.store.updateConversation(conversation.id, { failedTurns: decision.failedTurns, ...(unsavedLang ? { lang: conversation.lang } : {}) }, at);
    const botMessage = await this.deps.messages.append({
      conversationId: conversation.id, role: 'bot', text: reply.text, channel: conversation.channel, intent: reply.intent, confidence: reply.confidence, citations: reply.citations, at,
    });
    return { conversation: { ...conversation, failedTurns: decision.failedTurns }, reply, handoff: null, messages: [customerMessage, botMessage] };
  }

  /** A model answer cites only entries that were retrieved this turn; with none named, the best one. */
  private modelReply(answer: GroundedAnswer, results: RetrievedEntry[], best: RetrievedEntry, lang: Lang, kbVersion: number): BotReply {
    const cited = results.filter((result) => answer.citations.includes(result.entry.id));
    const sources = cited.length > 0 ? cited : [best];
    return {
      text: answer.text,
      intent: 'faq',
      confidence: round(best.confidence),
      citations: sources.map(({ entry }) => ({ entryId: entry.id, title: pick(entry.title, lang), category: entry.category, kbVersion })),
    };
  }

  /** The recent turns before `message`, for follow-up rewriting and the answer prompt. */
  private async historyBefore(message: StoredMessage): Promise<HistoryTurn[]> {
    const messages = await this.deps.store.listMessages(message.conversationId);
    return messages
      .filter((earlier) => earlier.seq < message.seq && earlier.role !== 'system')
      .slice(-HISTORY_TURNS)
      .map((earlier) => ({ role: earlier.role, text: earlier.text }));
  }

  private replyFor(decision: Exclude<TurnDecision, { kind: 'handoff' }>, intent: IntentPrediction, lang: Lang, kbVersion: number): BotReply {
    const { replies } = this.deps;
    if (decision.kind === 'answer') {
      const { entry } = decision.entry;
      const answer = pick(entry.answer, lang);
      return {
        text: decision.complaint ? `${replies.render('complaint', lang)}\n${answer}` : answer,
        intent: intent.intent === 'complaint' ? 'complaint' : 'faq',
        confidence: round(decision.entry.confidence),
        citations: [{ entryId: entry.id, title: pick(entry.title, lang), category: entry.category, kbVersion }],
      };
    }
    if (decision.kind === 'small_talk') {
      return { text: replies.render(decision.reply, lang), intent: intent.intent, confidence: round(intent.confidence), citations: [] };
    }
    const key = decision.failure === 'not_helped' ? 'not_helped' : decision.failure === 'out_of_scope' ? 'out_of_scope' : 'not_understood';
    const text = decision.complaint ? `${replies.render('complaint', lang)}\n${replies.render(key, lang)}` : replies.render(key, lang);
    return { text, intent: intent.intent, confidence: round(intent.confidence), citations: [] };
  }

  private async handOff(
    conversation: Conversation,
    customerMessage: StoredMessage,
    decision: Extract<TurnDecision, { kind: 'handoff' }>,
    intent: IntentPrediction,
    best: RetrievedEntry | undefined,
    snapshot: KbSnapshot,
    emotion: EmotionResult,
  ): Promise<TurnResult> {
    const outcome = await this.deps.desk.handOff({ conversation, customerMessage, reason: decision.reason, failedTurns: decision.failedTurns, intent, emotion, best, snapshot });
    if (outcome.kind === 'ticket') {
      // The customer stays with the bot, with a ticket number to ask about later.
      await this.deps.store.updateConversation(conversation.id, { failedTurns: 0 }, this.deps.clock().toISOString());
      return this.botSays({ ...conversation, failedTurns: 0 }, customerMessage, outcome.notice, 'ticket_created');
    }
    const notice = await this.deps.messages.append({
      conversationId: conversation.id, role: 'system', text: outcome.notice, channel: conversation.channel, intent: intent.intent, citations: [], at: this.deps.clock().toISOString(),
    });
    // With HANDOFF_AUTO_ASSIGN an available agent may take the chat right after the notice.
    const assigned = await this.deps.desk.assignQueued(outcome.handoff);
    return {
      conversation: { ...conversation, status: assigned ? 'agent' : 'queued', failedTurns: decision.failedTurns },
      // Channels without a message list (WeChat, Teams) send this text as the reply.
      reply: { text: notice.text, intent: intent.intent, confidence: round(intent.confidence), citations: [] },
      handoff: assigned ? { handoff: assigned.handoff, position: 0 } : { handoff: outcome.handoff, position: outcome.position },
      messages: assigned ? [customerMessage, notice, assigned.message] : [customerMessage, notice],
    };
  }

  /** A bare 1-5 right after a resolved handoff is its rating; anything else reopens the conversation. */
  private async rateFromReply(conversation: Conversation, customerMessage: StoredMessage): Promise<TurnResult | undefined> {
    const score = parseRatingReply(customerMessage.text);
    if (score === undefined || !(await this.deps.csat.awaitsRating(conversation.id))) return undefined;
    await this.deps.csat.rate(conversation.id, score);
    return this.botSays(conversation, customerMessage, this.deps.replies.render('rating_thanks', conversation.lang), 'rating');
  }

  /** Stores and returns a bot line that is not a KB answer (ticket notices, ratings). */
  private async botSays(conversation: Conversation, customerMessage: StoredMessage, text: string, intent: string): Promise<TurnResult> {
    const message = await this.deps.messages.append({
      conversationId: conversation.id, role: 'bot', text, channel: conversation.channel, intent, confidence: 1, citations: [], at: this.deps.clock().toISOString(),
    });
    return { conversation, reply: { text, intent, confidence: 1, citations: [] }, handoff: null, messages: [customerMessage, message] };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
