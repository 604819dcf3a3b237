/**
 * What a web customer does around a handoff besides chatting: leave the queue (取消排队) and rate
 * the conversation after an agent resolved it (满意度评价, `{ score: 1-5, comment? }`). The
 * conversation id is the customer's bearer secret, as for every conversation route.
 *
 * @module
 */
import { Router } from 'express';
import { ConflictError } from '../errors.js';
import type { CsatService } from '../handoff/csat-service.js';
import type { HandoffMoves } from '../handoff/handoff-moves.js';
import { ratingBody } from './schemas.js';

/** Mounted under `/api/v1/conversations`, before the conversation routes. */
export function ratingRoutes(deps: { csat: CsatService; handoffs: HandoffMoves }): Router {
  const router = Router();

  router.post('/:id/rating', async (request, response) => {
    const body = ratingBody.parse(request.body ?? {});
    const rating = await deps.csat.rate(String(request.params.id), body.score, body.comment);
    request.log.info('conversation rated', { conversationId: rating.conversationId, score: rating.score });
    response.status(201).json({ rating: { score: rating.score, comment: rating.comment ?? null, at: rating.at } });
  });

  router.post('/:id/queue/leave', async (request, response) => {
    if (!(await deps.handoffs.leaveQueue(String(request.params.id)))) throw new ConflictError('not_queued', 'the conversation is not waiting in a queue');
    response.json({ status: 'bot' });
  });

  return router;
}
