/**
 * For an external helpdesk that received a handoff by webhook: post the agent's replies back
 * (they reach the customer in their own channel) and resolve. Service token only; the helpdesk
 * takes the conversation on its first reply if nobody has.
 *
 * @module
 */
import { Router } from 'express';
import type { HandoffMoves } from '../handoff/handoff-moves.js';
import { checkMessageText } from './message-text.js';
import { helpdeskReplyBody } from './schemas.js';
import { messageView } from './views.js';

/** The identity external helpdesk replies are recorded under. */
const HELPDESK_ID = 'helpdesk';

/** `/api/v1/helpdesk`, behind the service token. */
export function helpdeskRoutes(deps: { handoffs: HandoffMoves; maxMessageChars: number }): Router {
  const router = Router();

  router.post('/handoffs/:id/messages', async (request, response) => {
    const body = helpdeskReplyBody.parse(request.body);
    const text = checkMessageText(body.text, deps.maxMessageChars);
    const agent = { id: HELPDESK_ID, name: body.agentName ?? '客服' };
    const id = String(request.params.id);
    if ((await deps.handoffs.get(id)).status === 'waiting') await deps.handoffs.accept(id, agent);
    const message = await deps.handoffs.reply(id, agent, text, 'helpdesk_reply');
    response.status(201).json({ message: messageView(message) });
  });

  router.post('/handoffs/:id/resolve', async (request, response) => {
    const handoff = await deps.handoffs.resolve(String(request.params.id), { id: HELPDESK_ID, name: '客服' });
    response.json({ handoff: { id: handoff.id, status: handoff.status, resolvedAt: handoff.resolvedAt } });
  });

  return router;
}
