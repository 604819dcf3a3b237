import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import path from 'node:path';
import { createChannels } from './channels/create-channels.js';
import type { Config } from './config.js';
import { ConversationEngine } from './conversation/conversation-engine.js';
import { Replies } from './conversation/replies.js';
import { createHandoffModule } from './handoff/handoff-module.js';
import { createApp } from './http/app.js';
import { createMetricsRegistry } from './http/metrics.js';
import { LlmAnswerer } from './conversation/llm-answerer.js';
import { EmbeddedIntentClassifier } from './intent/embedded-intent-classifier.js';
import { CompositeIntentClassifier, LlmIntentClassifier } from './intent/llm-intent-classifier.js';
import { createLlm } from './llm/create-llm.js';
import { summarizeHandoff } from './llm/handoff-summary.js';
import { intentExamples, loadIntentsFile } from './intent/intents-file.js';
import { LiveKnowledge } from './knowledge/live-knowledge.js';
import { VersionRegistry } from './knowledge/version-registry.js';
import type { Logger } from './logger.js';
import { Retriever } from './rag/retriever.js';
import { tokenize } from './text/tokenize.js';
import { startDedupePruning } from './store/dedupe-pruning.js';
import { MessageLog } from './store/message-log.js';
import { openStore } from './store/open-store.js';
import { openVectorStore } from './vector-store/open-vector-store.js';

/** How long a handoff waits for a model-written summary before using the extractive one. */
const SUMMARY_TIMEOUT_MS = 5000;

export interface RunningService {
  server: Server;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  agentToken: string;
  close(): Promise<void>;
}

/**
 * The composition root: picks the adapters the config asks for, publishes the sample KB on a
 * first run, trains the intent model and starts listening.
 */
export async function startService(config: Config, logger: Logger, options: { publicDir?: string } = {}): Promise<RunningService> {
  const started = performance.now();
  const { store, events, close: closeStore, dialect } = await openStore({
    dataDir: config.DATA_DIR,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
    sqliteWalCheckpoints: config.SQLITE_WAL_CHECKPOINTS,
    ...(config.DATABASE_URL !== undefined ? { databaseUrl: config.DATABASE_URL } : {}),
  });
  const { store: vectorStore, engine: vectorEngine } = await openVectorStore({
    dataDir: config.DATA_DIR,
    qdrantUrl: config.QDRANT_URL,
    qdrantApiKey: config.QDRANT_API_KEY,
    qdrantCollectionPrefix: config.QDRANT_COLLECTION_PREFIX,
  });
  const registry = new VersionRegistry(config.DATA_DIR);
  const metrics = createMetricsRegistry();
  const llm = await createLlm(config, metrics, logger);
  const embeddings = llm.embeddings && { ...llm.embeddings, dataDir: config.DATA_DIR };

  if (config.AUTO_PUBLISH && (await vectorStore.liveVersion()) === undefined) {
    // The KB readers (workbooks, splitters) are only needed to publish, not to serve.
    const { publishKnowledge } = await import('./knowledge/publish.js');
    const result = await publishKnowledge({ knowledgeDir: config.KNOWLEDGE_DIR, registry, vectorStore, author: 'auto-publish', ...(embeddings ? { embeddings } : {}) });
    logger.info('knowledge base published on first start', { kbVersion: result.version, entries: result.entryCount });
  }
  const retriever = new Retriever(
    vectorStore,
    llm.embeddings && {
      ...llm.embeddings,
      minSimilarity: config.EMBEDDINGS_MIN_SIMILARITY,
      onError: (error) => {
        llm.metrics.recordFallback('unavailable');
        logger.warn('query embedding failed; lexical retrieval only', { error: (error as Error).message });
      },
    },
  );
  const knowledge = new LiveKnowledge(registry, vectorStore, logger, (snapshot) => retriever.prepare(snapshot));
  await knowledge.refresh();
  knowledge.watch(config.KB_RELOAD_INTERVAL_MS);

  const examples = intentExamples(loadIntentsFile(path.join(config.PROMPTS_DIR, 'intents.yaml')));
  // The segmenter's one-time load is not training; keep it out of the measured time.
  tokenize('预热');
  const trainStarted = performance.now();
  const embeddedClassifier = EmbeddedIntentClassifier.train(examples);
  logger.info('intent classifier trained', { examples: examples.length, ms: Math.round(performance.now() - trainStarted) });

  const chat = llm.chat;
  const classifier = chat && llm.settings.intent
    ? new CompositeIntentClassifier({
        embedded: embeddedClassifier,
        llm: new LlmIntentClassifier({ model: chat.model, prompts: chat.prompts, redact: llm.settings.redact }),
        threshold: config.INTENT_CONFIDENCE_THRESHOLD, metrics: llm.metrics, logger,
      })
    : embeddedClassifier;
  const replies = Replies.load(path.join(config.PROMPTS_DIR, 'replies.yaml'));
  const clock = () => new Date();
  const messages = new MessageLog(store, events);
  const handoff = createHandoffModule({
    store, events, messages, logger, clock, newId: randomUUID, knowledgeDir: config.KNOWLEDGE_DIR,
    render: (key, lang, values) => replies.render(key, lang, values),
    ...(chat
      ? {
          emotionModel: chat.model,
          redact: llm.settings.redact,
          summarize: (transcript, reason, lang) =>
            // A handoff waits for its summary: past a few seconds the extractive one will do.
            summarizeHandoff({ messages: transcript, reason, lang, ...chat, redact: llm.settings.redact, metrics: llm.metrics, logger, signal: AbortSignal.timeout(SUMMARY_TIMEOUT_MS) }),
        }
      : {}),
    settings: {
      triggerEmotions: config.HANDOFF_ON_EMOTION, triggerIntents: config.HANDOFF_INTENTS, triggerTags: config.HANDOFF_TAGS,
      ticketWhenNobodyOnline: config.HANDOFF_TICKET_WHEN_NOBODY_ONLINE,
      autoAssign: config.HANDOFF_AUTO_ASSIGN,
      sessionTtlMs: config.AGENT_SESSION_TTL_HOURS * 3_600_000,
      sweepIntervalMs: config.HANDOFF_SWEEP_INTERVAL_MS,
      webhook: { maxAttempts: config.WEBHOOK_MAX_ATTEMPTS, retryBaseMs: config.WEBHOOK_RETRY_BASE_MS, timeoutMs: config.WEBHOOK_TIMEOUT_MS },
    },
  });
  const { handoffs } = handoff;
  handoff.start();
  const pruning = startDedupePruning({ store, retentionMs: config.DEDUPE_KEY_RETENTION_DAYS * 86_400_000, clock: () => new Date(), logger });
  const engine = new ConversationEngine({
    store, messages, knowledge, classifier, handoffs, replies, logger, clock, retriever,
    ...(chat
      ? { llm: new LlmAnswerer({ ...chat, turnBudgetMs: config.LLM_TIMEOUT_MS, tokenBudget: llm.settings.answerTokenBudget, maxTokens: llm.settings.answerMaxTokens, redact: llm.settings.redact, metrics: llm.metrics, logger }) }
      : {}),
    desk: handoff.desk, emotion: handoff.emotion, triggers: handoff.triggers, csat: handoff.csat,
    wakeSnoozed: (conversationId) => handoff.handoffs.wakeOnCustomerMessage(conversationId),
    // Conversation ids are bearer secrets: long and random.
    newId: () => randomBytes(18).toString('base64url'),
    thresholds: {
      answer: config.ANSWER_CONFIDENCE_THRESHOLD,
      answerOffTopic: config.ANSWER_OFF_TOPIC_THRESHOLD,
      intent: config.INTENT_CONFIDENCE_THRESHOLD,
      handoffAfterFailedTurns: config.HANDOFF_AFTER_FAILED_TURNS,
      handoffOnRequest: config.HANDOFF_ON_REQUEST,
    },
  });

  let agentToken = config.AGENT_TOKEN;
  if (agentToken === undefined) {
    agentToken = randomBytes(18).toString('base64url');
    logger.warn(`AGENT_TOKEN is not set; using a development token for this run: ${agentToken}`);
  }
  const channels = await createChannels({ config, engine, store, events, logger, greeting: (lang) => replies.render('greeting', lang) });
  channels.start();
  const app = createApp({
    engine, handoffs, handoff, store, events, knowledge, retriever, logger, agentToken,
    loginMaxFailures: config.AGENT_LOGIN_MAX_FAILURES,
    secureCookies: config.NODE_ENV === 'production',
    maxMessageChars: config.MAX_MESSAGE_CHARS,
    limits: {
      conversationsPerIpPerMinute: config.CONVERSATIONS_PER_IP_PER_MINUTE,
      messagesPerConversationPerMinute: config.MESSAGES_PER_CONVERSATION_PER_MINUTE,
    },
    ...(config.METRICS_ENABLED ? { metrics } : {}),
    publicDir: options.publicDir ?? path.resolve('public'),
    widgetOrigins: config.WIDGET_ALLOWED_ORIGINS,
    channelRouter: channels.router,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.PORT, config.HOST, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  const url = `http://${host}:${port}`;
  logger.info('service ready', { url, store: dialect, vectorStore: vectorEngine, kbVersion: knowledge.isLoaded() ? knowledge.current().manifest.version : null, ms: Math.round(performance.now() - started) });

  return {
    server,
    url,
    agentToken,
    async close() {
      knowledge.stop();
      pruning.stop();
      await handoff.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await channels.stop();
      await closeStore();
    },
  };
}
