import { Router } from 'express';
import type { ConversationEngine, TurnResult } from '../conversation/conversation-engine.js';
import { AppError } from '../errors.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventBus, StoreEvent } from '../store/event-bus.js';
import type { Handoff } from '../store/records.js';
import { checkMessageText } from './message-text.js';
import { conversationsPerIp, messagesPerConversation, typingPerKey } from './rate-limits.js';
import { afterQuery, createConversationBody, messageBody, typingBody } from './schemas.js';
import { openSse } from './sse.js';
import { customerHandoffView, messageView } from './views.js';

export interface ConversationRouteDeps {
  engine: ConversationEngine;
  store: ConversationStore;
  events: EventBus;
  maxMessageChars: number;
  limits: { conversationsPerIpPerMinute: number; messagesPerConversationPerMinute: number };
  groupName: (id: string, lang: 'zh' | 'en') => string;
  /** Honest wait estimate in minutes for a waiting handoff at `position`, when there is one. */
  queueEstimate?: (handoff: Handoff, position: number) => Promise<number | undefined>;
}

/** The customer side of the web channel: start, send, read, and follow a conversation. */
export function conversationRoutes(deps: ConversationRouteDeps): Router {
  const router = Router();
  const { engine, store } = deps;

  const handoffFor = async (handoff: Handoff | undefined, lang: 'zh' | 'en') => {
    if (!handoff || (handoff.status !== 'waiting' && handoff.status !== 'accepted')) return null;
    const position = handoff.status === 'waiting' ? await store.queuePosition(handoff.id) : 0;
    const etaMinutes = position > 0 ? await deps.queueEstimate?.(handoff, position) : undefined;
    return customerHandoffView(handoff, position, deps.groupName(handoff.skillGroup, lang), { etaMinutes });
  };

  router.post('/', conversationsPerIp(deps.limits.conversationsPerIpPerMinute), async (request, response) => {
    const body = createConversationBody.parse(request.body ?? {});
    const customer = body.customer ?? { tags: [] };
    const { conversation, messages } = await engine.start({
      channel: 'web',
      customer: {
        tags: customer.tags,
        ...(customer.id !== undefined ? { id: customer.id } : {}),
        ...(customer.name !== undefined ? { name: customer.name } : {}),
        ...(customer.lang !== undefined ? { lang: customer.lang } : {}),
      },
    });
    response.status(201).json({ id: conversation.id, status: conversation.status, lang: conversation.lang, messages: messages.map(messageView) });
  });

  router.post('/:id/messages', messagesPerConversation(deps.limits.messagesPerConversationPerMinute), async (request, response) => {
    const id = String(request.params.id);
    const body = messageBody.parse(request.body);
    const text = checkMessageText(body.text, deps.maxMessageChars);
    // An unknown id is a 404 from the engine, which reads the conversation once, under its lock.
    const turnView = async (turn: TurnResult) => ({
      reply: turn.reply,
      status: turn.conversation.status,
      failedTurns: turn.conversation.failedTurns,
      handoff: turn.handoff ? await handoffFor(turn.handoff.handoff, turn.conversation.lang) : null,
      messages: turn.messages.map(messageView),
    });
    if (!wantsEventStream(request.get('accept'))) {
      response.json(await turnView(await engine.handleCustomerMessage(id, text)));
      return;
    }
    // Streamed: `delta` events while a model writes, then one `reply` event with the whole turn,
    // whose text is final (it replaces the deltas if the model's answer was not used).
    await engine.get(id); // a 404 must come before the stream opens with its 200
    const stream = openSse(request, response);
    try {
      const turn = await engine.handleCustomerMessage(id, text, { onDelta: (delta) => stream.send('delta', { text: delta }) });
      stream.send('reply', await turnView(turn));
    } catch (error) {
      request.log.error('streamed turn failed', { error: (error as Error).message });
      const known = error instanceof AppError;
      stream.send('error', { error: { code: known ? error.code : 'internal_error', message: known ? error.message : 'internal error', requestId: request.requestId } });
    }
    response.end();
  });

  // The customer is typing (or stopped): agents see it on their stream. Nothing is stored; the
  // widget throttles itself, and the limiter stops a client that does not.
  router.post('/:id/typing', typingPerKey((request) => `conversation:${String(request.params.id)}`), async (request, response) => {
    const body = typingBody.parse(request.body ?? {});
    const conversation = await engine.get(String(request.params.id));
    if (conversation.status === 'queued' || conversation.status === 'agent') {
      await deps.events.publish({ type: 'typing', conversationId: conversation.id, role: 'customer', active: body.active });
    }
    response.status(204).end();
  });

  router.get('/:id', async (request, response) => {
    const conversation = await engine.get(request.params.id);
    const [messages, handoff] = await Promise.all([store.listMessages(conversation.id), store.latestHandoff(conversation.id)]);
    response.json({
      id: conversation.id,
      status: conversation.status,
      lang: conversation.lang,
      failedTurns: conversation.failedTurns,
      channel: conversation.channel,
      messages: messages.map(messageView),
      handoff: await handoffFor(handoff, conversation.lang),
    });
  });

  router.get('/:id/events', async (request, response) => {
    const conversation = await engine.get(request.params.id);
    const { after } = afterQuery.parse(request.query);
    const lastEventId = Number(request.get('last-event-id'));
    let lastSeq = Number.isInteger(lastEventId) && lastEventId > 0 ? lastEventId : (after ?? 0);
    const stream = openSse(request, response);
    let lastStatus = '';

    const sendStatus = async () => {
      const [current, handoff] = await Promise.all([store.getConversation(conversation.id), store.latestHandoff(conversation.id)]);
      if (!current) return;
      const view = await handoffFor(handoff, current.lang);
      const key = JSON.stringify([current.status, view?.position, view?.status, view?.etaMinutes]);
      if (key === lastStatus) return;
      lastStatus = key;
      stream.send('status', { status: current.status, handoff: view });
    };
    // Events that arrive while the backlog is read wait here, so nothing is sent twice or skipped.
    const pending: StoreEvent[] = [];
    let ready = false;
    const handle = (event: StoreEvent) => {
      if (event.type === 'message-created' && event.conversationId === conversation.id) {
        if (event.message.seq <= lastSeq) return;
        lastSeq = event.message.seq;
        stream.send('message', messageView(event.message), event.message.seq);
      } else if (event.type === 'typing') {
        // Only an agent's typing reaches the customer; their own would echo.
        if (event.conversationId === conversation.id && event.role === 'agent') stream.send('typing', { role: 'agent', active: event.active, ...(event.name ? { name: event.name } : {}) });
      } else if (event.type === 'viewing') {
        // Console presence: nothing for the customer.
      } else if (event.type !== 'message-created') {
        void sendStatus().catch((error: unknown) => request.log.warn('status push failed', { error: (error as Error).message }));
      }
    };
    const unsubscribe = deps.events.subscribe((event) => (ready ? handle(event) : pending.push(event)));
    stream.onClose(unsubscribe);
    for (const message of await store.listMessages(conversation.id, lastSeq)) handle({ type: 'message-created', conversationId: conversation.id, message });
    await sendStatus();
    ready = true;
    for (const event of pending.splice(0)) handle(event);
  });

  return router;
}

function wantsEventStream(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('text/event-stream');
}
