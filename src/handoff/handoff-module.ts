/**
 * Builds the handoff domain from config: the skill-groups file, sessions, audit log, queue
 * insights, automatic assignment, tickets, CSAT, the webhook outbox and the sweeper that
 * overflows long waits, assigns what still waits and retries webhooks. The composition root
 * calls this once.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CANNED_RESPONSES_FILE, loadCannedResponses } from '../knowledge/canned-responses.js';
import { fallbackSkillGroups, loadSkillGroups } from '../knowledge/skill-groups.js';
import type { ChatModel } from '../llm/chat-model.js';
import type { Logger } from '../logger.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventBus } from '../store/event-bus.js';
import type { MessageLog } from '../store/message-log.js';
import type { Lang } from '../text/lang.js';
import { AgentSessions } from './agent-sessions.js';
import { overflowDue } from './assignment.js';
import { AuditLog } from './audit-log.js';
import { AutoAssigner } from './auto-assign.js';
import { CsatService } from './csat-service.js';
import { detectEmotion, EMOTIONS, type Emotion, type EmotionDetector } from './emotion/detect-emotion.js';
import { modelEmotionDetector } from './emotion/model-emotion-detector.js';
import { HandoffDesk, type DeskTextKey } from './handoff-desk.js';
import { HandoffDirectory } from './handoff-directory.js';
import { HandoffMoves } from './handoff-moves.js';
import type { HandoffServiceDeps } from './handoff-service.js';
import type { Redactor } from '../llm/pii-redaction.js';
import { QueueInsights } from './queue-insights.js';
import { TicketService } from './ticket-service.js';
import type { TriggerSettings } from './triggers.js';
import { WebhookOutbox, type WebhookOutboxOptions } from './webhook/webhook-outbox.js';

/** Every customer-facing sentence the handoff domain says, by `prompts/replies.yaml` key. */
export type HandoffTextKey = DeskTextKey | 'agent_joined' | 'resolved' | 'rating_request' | 'transferred' | 'returned_to_bot' | 'queue_left';

/** What `createHandoffModule` needs. */
export interface HandoffModuleOptions {
  store: ConversationStore;
  events: EventBus;
  messages: MessageLog;
  logger: Logger;
  clock: () => Date;
  newId: () => string;
  /** Folder holding `skill-groups.yaml`; without the file one catch-all group is used. */
  knowledgeDir: string;
  render: (key: HandoffTextKey, lang: Lang, values?: Record<string, string | number>) => string;
  /** A configured language model reads emotions (the lexicon stays the fallback); none: the lexicon alone. */
  emotionModel?: ChatModel | undefined;
  /** Redacts customer text before the emotion model sees it. */
  redact?: Redactor | undefined;
  /** Writes handoff summaries with a model; none: extractive summaries. */
  summarize?: HandoffServiceDeps['summarize'];
  settings: {
    /** Emotions that trigger a handoff; unknown names are ignored (config validates them). */
    triggerEmotions: readonly string[];
    triggerIntents: string[];
    triggerTags: string[];
    ticketWhenNobodyOnline: boolean;
    /** Assign queued chats to the least busy available agent (`HANDOFF_AUTO_ASSIGN`); default off here. */
    autoAssign?: boolean;
    sessionTtlMs: number;
    sweepIntervalMs: number;
    webhook: WebhookOutboxOptions;
  };
}

/** Everything `createHandoffModule` builds. */
export type HandoffModule = ReturnType<typeof createHandoffModule>;

/** Builds the handoff domain once per process; `start()` runs the sweeper, `stop()` ends it. */
export function createHandoffModule(options: HandoffModuleOptions) {
  const { store, events, messages, logger, clock, newId, render, settings } = options;
  const file = path.join(options.knowledgeDir, 'skill-groups.yaml');
  const directory = new HandoffDirectory(existsSync(file) ? loadSkillGroups(file).file : fallbackSkillGroups().file);
  const canned = loadCannedResponses(path.join(options.knowledgeDir, CANNED_RESPONSES_FILE));
  const audit = new AuditLog({ store, clock, newId });
  const outbox = new WebhookOutbox({ store, directory, clock, newId, logger, options: settings.webhook });
  // Assignment passes start from the service and the sessions built below; `kick` never rejects.
  const kick = (): void => {
    void assigner.kick();
  };
  const handoffs = new HandoffMoves({
    store, events, messages, audit, clock, newId, logger,
    groupName: (id, lang) => directory.groupName(id, lang),
    onQueued: (handoff) => outbox.enqueue(handoff),
    onQueueChanged: kick,
    summarize: options.summarize,
    texts: {
      agentJoined: (lang, agent) => render('agent_joined', lang, { agent }),
      // The web shows a rating card; other channels are asked for a 1-5 reply.
      resolved: (lang, channel) => (channel === 'web' ? render('resolved', lang) : `${render('resolved', lang)}\n${render('rating_request', lang)}`),
      transferred: (lang, group) => render('transferred', lang, { group }),
      returnedToBot: (lang) => render('returned_to_bot', lang),
      leftQueue: (lang) => render('queue_left', lang),
    },
  });
  const sessions = new AgentSessions({ store, directory, clock, ttlMs: settings.sessionTtlMs, logger, onAvailable: kick });
  const insights = new QueueInsights({ store, sessions, directory, clock });
  const assigner = new AutoAssigner({ store, insights, handoffs, clock, logger, enabled: settings.autoAssign ?? false });
  const tickets = new TicketService({ store, directory, clock, newId });
  const desk = new HandoffDesk({ store, handoffs, directory, tickets, insights, texts: render, ticketWhenNobodyOnline: settings.ticketWhenNobodyOnline, assigner });
  const csat = new CsatService({ store, clock });
  const emotion: EmotionDetector = options.emotionModel ? modelEmotionDetector(options.emotionModel, { logger, redact: options.redact }) : detectEmotion;
  const emotions = settings.triggerEmotions.filter((name): name is Emotion => (EMOTIONS as readonly string[]).includes(name));
  const triggers: TriggerSettings = { emotions, intents: settings.triggerIntents, tags: settings.triggerTags };

  /** Moves conversations that waited past their group's overflow limit, once each. */
  async function sweepOverflow(): Promise<void> {
    const now = clock();
    for (const handoff of await store.listHandoffs({ status: 'waiting' })) {
      const overflow = directory.group(handoff.skillGroup)?.overflow;
      if (overflow && overflowDue(handoff.createdAt, overflow.after_seconds, now)) await handoffs.overflow(handoff, overflow.group);
    }
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    directory, audit, outbox, handoffs, sessions, insights, assigner, tickets, desk, csat, emotion, triggers, sweepOverflow, canned,
    /** Starts the loop of overflow, assignment (which also catches agents online elsewhere), webhook retries and due snoozes. */
    start(): void {
      if (settings.sweepIntervalMs <= 0) return;
      timer = setInterval(() => {
        Promise.all([sweepOverflow().then(() => assigner.kick()), outbox.runDue(), handoffs.wakeDueSnoozes()]).catch((error: unknown) => logger.error('handoff sweep failed', { error: (error as Error).message }));
      }, settings.sweepIntervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await assigner.idle();
      await outbox.stop();
    },
  };
}
