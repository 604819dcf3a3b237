/**
 * The agent side: queues per group (live over SSE), the conversation with its context, and the
 * actions accept, reply, internal note, transfer, return to bot and resolve. Mounted behind
 * `requireAgent`; an agent sees only their groups, the service token sees all.
 *
 * @module
 */
import { Router, type Request } from 'express';
import { NotFoundError, ValidationError } from '../errors.js';
import { canSee, type AgentIdentity } from '../handoff/agent-identity.js';
import type { AgentSessions } from '../handoff/agent-sessions.js';
import type { AuditLog } from '../handoff/audit-log.js';
import type { HandoffDirectory } from '../handoff/handoff-directory.js';
import type { HandoffMoves } from '../handoff/handoff-moves.js';
import { customerWaitingSince } from '../handoff/customer-wait.js';
import type { AgentRow, QueueInsights } from '../handoff/queue-insights.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventBus, StoreEvent } from '../store/event-bus.js';
import type { Handoff, StoredMessage } from '../store/records.js';
import { agentOf } from './agent-auth.js';
import { checkMessageText } from './message-text.js';
import { typingPerKey } from './rate-limits.js';
import { acceptBody, handoffListQuery, messageBody, noteBody, snoozeBody, transferBody, typingBody } from './schemas.js';
import { openSse } from './sse.js';
import { handoffView, messageView } from './views.js';

/** Dependencies of `handoffRoutes`. */
export interface HandoffRouteDeps {
  handoffs: HandoffMoves;
  store: ConversationStore;
  events: EventBus;
  insights: QueueInsights;
  sessions: AgentSessions;
  audit: AuditLog;
  directory: HandoffDirectory;
  maxMessageChars: number;
}

/** Resolved handoffs listed at most (the newest), so the 已解决 tab stays small. */
const RESOLVED_LIMIT = 100;
/** Earlier conversations listed in the context panel, at most (the newest). */
const HISTORY_LIMIT = 10;
/** How often an open console stream marks its agent as present, in ms. */
const PRESENCE_TOUCH_MS = 30_000;

/** `/api/v1/handoffs`, behind `requireAgent`. */
export function handoffRoutes(deps: HandoffRouteDeps): Router {
  const router = Router();
  const { handoffs, store } = deps;
  const view = async (handoff: Handoff, rows?: AgentRow[]) =>
    handoffView(handoff, handoff.status === 'waiting' ? await store.queuePosition(handoff.id) : 0, deps.directory.groupName(handoff.skillGroup, 'zh'), {
      skillGroupNames: deps.directory.group(handoff.skillGroup)?.name ?? {},
      ...(rows ? { suggestedAgentId: deps.insights.suggest(rows, handoff) } : {}),
      // "客户已等待": since the oldest customer message no agent has answered (live chats only).
      customerWaitingSince: handoff.status === 'waiting' || handoff.status === 'accepted'
        ? customerWaitingSince(handoff, await store.listMessages(handoff.conversationId)) : null,
    });
  /** The caller's acting name: their display name, or the legacy `agentName` for the service token. */
  const actor = (request: Request, agentName?: string): AgentIdentity => {
    const agent = agentOf(request);
    return agent.kind === 'service' && agentName ? { ...agent, name: agentName } : agent;
  };
  /** The handoff, if the caller may see it; 404 otherwise, so other groups' ids leak nothing. */
  const visible = async (request: Request): Promise<Handoff> => {
    const handoff = await handoffs.get(String(request.params.id));
    if (!canSee(agentOf(request), handoff.skillGroup)) throw new NotFoundError('handoff');
    return handoff;
  };

  router.get('/', async (request, response) => {
    const query = handoffListQuery.parse(request.query);
    const agent = agentOf(request);
    let list = await store.listHandoffs({
      ...(query.status !== undefined ? { status: query.status } : {}),
      ...(query.skillGroup !== undefined ? { skillGroups: [query.skillGroup] } : {}),
    });
    list = list.filter((handoff) => canSee(agent, handoff.skillGroup));
    if (query.status === 'resolved' || query.status === 'cancelled') {
      list = list.sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? '')).slice(0, RESOLVED_LIMIT);
    }
    const rows = await deps.insights.agents();
    response.json({ handoffs: await Promise.all(list.map((handoff) => view(handoff, rows))) });
  });

  router.get('/events', (request, response) => {
    const agent = agentOf(request);
    const stream = openSse(request, response);
    const touch = () => {
      if (agent.sessionId) deps.sessions.touch(agent.sessionId).catch((error: unknown) => request.log.warn('presence touch failed', { error: (error as Error).message }));
    };
    touch();
    const presence = setInterval(touch, PRESENCE_TOUCH_MS);
    presence.unref();
    /** A customer wrote in a queued or accepted conversation the agent can see: card text, unread dot, alert. */
    const customerMessage = async (conversationId: string, message: StoredMessage) => {
      const handoff = await store.latestHandoff(conversationId);
      if (!handoff || (handoff.status !== 'waiting' && handoff.status !== 'accepted') || !canSee(agent, handoff.skillGroup)) return;
      stream.send('customer-message', {
        handoffId: handoff.id, conversationId, seq: message.seq, text: Array.from(message.text).slice(0, 200).join(''), at: message.at,
        ...(message.emotion ? { emotion: message.emotion } : {}),
      });
    };
    // Handoff pushes leave in the order of their events: a chat queued and assigned a moment
    // later must not reach the console as assigned, then waiting.
    let pushes = Promise.resolve();
    const answered = async (conversationId: string) => {
      const handoff = await store.latestHandoff(conversationId);
      if (!handoff || (handoff.status !== 'waiting' && handoff.status !== 'accepted') || !canSee(agent, handoff.skillGroup)) return;
      stream.send('answered', { handoffId: handoff.id, conversationId });
    };
    /** Typing (customer or another agent) and another agent viewing: live presence on a chat the agent can see. */
    const presencePush = async (event: Extract<StoreEvent, { type: 'typing' | 'viewing' }>) => {
      if (event.type === 'viewing' || event.role === 'agent') {
        if (event.agentId === agent.id) return;
      }
      const handoff = await store.latestHandoff(event.conversationId);
      if (!handoff || (handoff.status !== 'waiting' && handoff.status !== 'accepted') || !canSee(agent, handoff.skillGroup)) return;
      if (event.type === 'viewing') stream.send('viewing', { handoffId: handoff.id, conversationId: event.conversationId, agentId: event.agentId, name: event.name });
      else stream.send('typing', { handoffId: handoff.id, conversationId: event.conversationId, role: event.role, active: event.active, ...(event.agentId ? { agentId: event.agentId } : {}), ...(event.name ? { name: event.name } : {}) });
    };
    const unsubscribe = deps.events.subscribe((event) => {
      if (event.type === 'typing' || event.type === 'viewing') {
        presencePush(event).catch((error: unknown) => request.log.warn('presence push failed', { error: (error as Error).message }));
        return;
      }
      if (event.type === 'message-created' && event.message.role === 'agent') {
        // An agent answered: the customer's wait timer stops.
        answered(event.conversationId).catch((error: unknown) => request.log.warn('answered push failed', { error: (error as Error).message }));
        return;
      }
      if (event.type === 'message-created' && event.message.role === 'customer') {
        customerMessage(event.conversationId, event.message).catch((error: unknown) => request.log.warn('message push failed', { error: (error as Error).message }));
        return;
      }
      if (event.type !== 'handoff-updated' || !canSee(agent, event.handoff.skillGroup)) return;
      // With the agent rows, so a newly queued chat arrives with its suggested agent.
      const rendered = deps.insights.agents().then((rows) => view(event.handoff, rows)).then(
        (handoff) => (): void => {
          stream.send('handoff', handoff);
        },
        (error: unknown) => (): void => {
          request.log.warn('handoff push failed', { error: (error as Error).message });
        },
      );
      pushes = pushes.then(() => rendered).then((deliver) => deliver());
    });
    stream.onClose(() => {
      clearInterval(presence);
      unsubscribe();
    });
  });

  router.get('/:id', async (request, response) => {
    const handoff = await visible(request);
    const [conversation, messages, notes, rating, rows] = await Promise.all([
      store.getConversation(handoff.conversationId), store.listMessages(handoff.conversationId), deps.audit.notes(handoff.id),
      store.getRating(handoff.id), deps.insights.agents(),
    ]);
    response.json({
      handoff: await view(handoff, rows),
      notes,
      rating: rating ? { score: rating.score, comment: rating.comment ?? null } : null,
      conversation: conversation && {
        id: conversation.id, status: conversation.status, lang: conversation.lang, channel: conversation.channel, customer: conversation.customer,
        failedTurns: conversation.failedTurns, messages: messages.map((message) => ({ ...messageView(message), ...(message.emotion ? { emotion: message.emotion } : {}) })),
      },
    });
  });

  /**
   * The customer's earlier conversations (context panel, UX.md §2 item 6): when, how it ended,
   * what they first asked and their last CSAT. No transcripts: those stay with their own group.
   */
  router.get('/:id/history', async (request, response) => {
    const handoff = await visible(request);
    const conversation = await store.getConversation(handoff.conversationId);
    const customerId = conversation?.customer.id;
    if (!conversation || customerId === undefined) {
      response.json({ conversations: [] });
      return;
    }
    const earlier = (await store.listConversationsByCustomer(conversation.channel, customerId, HISTORY_LIMIT + 1))
      .filter((item) => item.id !== conversation.id).slice(0, HISTORY_LIMIT);
    response.json({
      conversations: await Promise.all(earlier.map(async (item) => {
        const [messages, last] = await Promise.all([store.listMessages(item.id), store.latestHandoff(item.id)]);
        const rating = last ? await store.getRating(last.id) : undefined;
        const asked = messages.find((message) => message.role === 'customer');
        return {
          id: item.id, channel: item.channel, status: item.status, createdAt: item.createdAt, updatedAt: item.updatedAt,
          firstQuestion: asked ? Array.from(asked.text).slice(0, 80).join('') : null,
          handoff: last ? { id: last.id, skillGroup: last.skillGroup, skillGroupName: deps.directory.groupName(last.skillGroup, 'zh'), status: last.status, agentId: last.agentId ?? null } : null,
          rating: rating ? { score: rating.score, comment: rating.comment ?? null, at: rating.at } : null,
        };
      })),
    });
  });

  router.post('/:id/accept', async (request, response) => {
    const body = acceptBody.parse(request.body ?? {});
    await visible(request);
    const handoff = await handoffs.accept(String(request.params.id), actor(request, body.agentName));
    request.log.info('handoff accepted', { handoffId: handoff.id, conversationId: handoff.conversationId, agentId: handoff.agentId });
    response.json({ handoff: await view(handoff) });
  });

  router.post('/:id/messages', async (request, response) => {
    const body = messageBody.parse(request.body);
    const text = checkMessageText(body.text, deps.maxMessageChars);
    await visible(request);
    const message = await handoffs.reply(String(request.params.id), actor(request), text);
    response.status(201).json({ message: messageView(message) });
  });

  /** The agent is typing a reply (or stopped): the customer's widget and colleagues see it. */
  router.post('/:id/typing', typingPerKey((request) => `agent-typing:${agentOf(request).id}:${String(request.params.id)}`), async (request, response) => {
    const body = typingBody.parse(request.body ?? {});
    const handoff = await visible(request);
    const me = actor(request);
    await deps.events.publish({ type: 'typing', conversationId: handoff.conversationId, role: 'agent', active: body.active, agentId: me.id, name: me.name });
    response.status(204).end();
  });

  /** The agent opened the chat: colleagues who have it open see "小王 正在查看". */
  router.post('/:id/viewing', typingPerKey((request) => `agent-viewing:${agentOf(request).id}:${String(request.params.id)}`, 20), async (request, response) => {
    const handoff = await visible(request);
    const me = actor(request);
    await deps.events.publish({ type: 'viewing', conversationId: handoff.conversationId, handoffId: handoff.id, agentId: me.id, name: me.name });
    response.status(204).end();
  });

  router.post('/:id/notes', async (request, response) => {
    const body = noteBody.parse(request.body);
    await visible(request);
    response.status(201).json({ note: await handoffs.note(String(request.params.id), actor(request), body.text) });
  });

  router.post('/:id/transfer', async (request, response) => {
    const body = transferBody.parse(request.body);
    if (!deps.directory.group(body.skillGroup)) throw new ValidationError(`unknown skill group "${body.skillGroup}"`, 'unknown_group');
    await visible(request);
    const handoff = await handoffs.transfer(String(request.params.id), actor(request), body.skillGroup, body.note);
    response.json({ handoff: await view(handoff) });
  });

  router.post('/:id/return', async (request, response) => {
    await visible(request);
    response.json({ handoff: await view(await handoffs.returnToBot(String(request.params.id), actor(request))) });
  });

  /** 稍后处理: `{ untilReply: true }` or `{ until }`; only the handling agent. */
  router.post('/:id/snooze', async (request, response) => {
    const body = snoozeBody.parse(request.body ?? {});
    await visible(request);
    const handoff = await handoffs.snooze(String(request.params.id), actor(request), { untilReply: body.untilReply === true, ...(body.until !== undefined ? { until: body.until } : {}) });
    response.json({ handoff: await view(handoff) });
  });

  router.post('/:id/resolve', async (request, response) => {
    await visible(request);
    const handoff = await handoffs.resolve(String(request.params.id), actor(request));
    request.log.info('handoff resolved', { handoffId: handoff.id, conversationId: handoff.conversationId });
    response.json({ handoff: await view(handoff) });
  });

  return router;
}
