import path from 'node:path';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { fixedHeaders } from './fixed-headers.js';
import { widgetHeaders } from './widget-headers.js';
import type { Registry } from 'prom-client';
import type { ConversationEngine } from '../conversation/conversation-engine.js';
import { NotFoundError } from '../errors.js';
import type { HandoffService } from '../handoff/handoff-service.js';
import type { LiveKnowledge } from '../knowledge/live-knowledge.js';
import type { Logger } from '../logger.js';
import type { Retriever } from '../rag/retriever.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventBus } from '../store/event-bus.js';
import { pick } from '../text/lang.js';
import type { HandoffModule } from '../handoff/handoff-module.js';
import { requireAgent, requireLead } from './agent-auth.js';
import { agentSessionRoutes } from './agent-session-routes.js';
import { cannedRoutes } from './canned-routes.js';
import { helpdeskRoutes } from './helpdesk-routes.js';
import { leadRoutes } from './lead-routes.js';
import { ratingRoutes } from './rating-routes.js';
import { conversationRoutes } from './conversation-routes.js';
import { errorHandler } from './error-handler.js';
import { handoffRoutes } from './handoff-routes.js';
import { kbRoutes } from './kb-routes.js';
import { httpMetrics } from './metrics.js';
import { requestId } from './request-id.js';

export interface AppDeps {
  engine: ConversationEngine;
  handoffs: HandoffService;
  store: ConversationStore;
  events: EventBus;
  knowledge: LiveKnowledge;
  retriever: Retriever;
  logger: Logger;
  /** The handoff domain: sessions, audit, queues, tickets, CSAT (`createHandoffModule`). */
  handoff: HandoffModule;
  /** Service token for integrations (`AGENT_TOKEN`); agents sign in instead. */
  agentToken: string;
  /** Wrong passwords allowed per IP and username per 15 minutes. */
  loginMaxFailures: number;
  /** Mark the session cookie Secure (HTTPS deployments). */
  secureCookies: boolean;
  maxMessageChars: number;
  limits: { conversationsPerIpPerMinute: number; messagesPerConversationPerMinute: number };
  /** Prometheus registry to expose at /metrics; none means no metrics route. */
  metrics?: Registry;
  publicDir: string;
  /** Sites allowed to frame the chat widget (`frame-ancestors` sources, `*` for any). */
  widgetOrigins: string[];
  /** Routes of the configured channels (WeChat, WeCom, Teams), mounted at /channels. */
  channelRouter?: Router;
}

/** Builds the Express app without listening, so tests can drive it in-process or on a port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // ETags on JSON answers cost a hash per turn and no client sends If-None-Match; static files keep theirs.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(requestId(deps.logger));
  if (deps.metrics) {
    const registry = deps.metrics;
    app.use(httpMetrics(registry));
    app.get('/metrics', async (_request, response) => {
      response.type(registry.contentType).send(await registry.metrics());
    });
  }
  app.use(fixedHeaders(helmet()));
  app.use(express.json({ limit: '64kb' }));

  const groupName = (id: string, lang: 'zh' | 'en') => {
    if (!deps.knowledge.isLoaded()) return id;
    const group = deps.knowledge.current().skillGroups.find((candidate) => candidate.id === id);
    return group ? pick(group.name, lang) : id;
  };

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', async (_request, response) => {
    const checks = { knowledge: deps.knowledge.isLoaded(), store: true };
    try {
      await deps.store.ping();
    } catch {
      checks.store = false;
    }
    const ready = checks.knowledge && checks.store;
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks,
      kbVersion: checks.knowledge ? deps.knowledge.current().manifest.version : null,
    });
  });

  const routeDeps = { store: deps.store, events: deps.events, maxMessageChars: deps.maxMessageChars, groupName };
  const { handoff } = deps;
  const agentAuth = requireAgent({ agentToken: deps.agentToken, sessions: handoff.sessions });
  app.use('/api/v1/conversations', ratingRoutes({ csat: handoff.csat, handoffs: handoff.handoffs }));
  app.use('/api/v1/conversations', conversationRoutes({
    ...routeDeps, engine: deps.engine, limits: deps.limits,
    queueEstimate: (item, position) => handoff.insights.estimate(item, position),
  }));
  app.use('/api/v1/agent/canned-responses', agentAuth, cannedRoutes({ canned: handoff.canned }));
  app.use('/api/v1/agent', agentSessionRoutes({
    sessions: handoff.sessions, audit: handoff.audit, directory: handoff.directory, agentToken: deps.agentToken,
    loginMaxFailures: deps.loginMaxFailures, secureCookies: deps.secureCookies,
  }));
  app.use('/api/v1/handoffs', agentAuth, handoffRoutes({
    handoffs: handoff.handoffs, store: deps.store, events: deps.events, insights: handoff.insights, sessions: handoff.sessions,
    audit: handoff.audit, directory: handoff.directory, maxMessageChars: deps.maxMessageChars,
  }));
  app.use('/api/v1/lead', agentAuth, requireLead, leadRoutes({ store: deps.store, insights: handoff.insights, directory: handoff.directory, clock: () => new Date() }));
  app.use('/api/v1/helpdesk', requireAgent({ agentToken: deps.agentToken, serviceOnly: true }), helpdeskRoutes({ handoffs: handoff.handoffs, maxMessageChars: deps.maxMessageChars }));
  app.use('/api/v1/kb', agentAuth, kbRoutes({ knowledge: deps.knowledge, retriever: deps.retriever }));
  app.use('/api/', (_request, _response, next) => next(new NotFoundError('route')));

  if (deps.channelRouter) app.use('/channels', deps.channelRouter);

  app.get('/agent', (_request, response) => response.sendFile(path.join(deps.publicDir, 'agent.html')));
  app.use(widgetHeaders(deps.widgetOrigins));
  app.use(express.static(deps.publicDir, { index: 'index.html', maxAge: '5m' }));
  app.use(errorHandler());
  return app;
}
