/**
 * The team-lead view (leads and the service token): live totals, one row per group, the agent
 * table, and webhook deliveries that failed for good.
 *
 * @module
 */
import { Router } from 'express';
import { z } from 'zod';
import type { HandoffDirectory } from '../handoff/handoff-directory.js';
import { firstResponseTarget } from '../handoff/customer-wait.js';
import { leadOverview, startOfDay } from '../handoff/lead-overview.js';
import type { QueueInsights } from '../handoff/queue-insights.js';
import type { ConversationStore } from '../store/conversation-store.js';

const overviewQuery = z.object({ tz: z.string().max(64).optional() });
const webhookQuery = z.object({ status: z.enum(['pending', 'sending', 'delivered', 'failed']).optional() });
const actionsQuery = z.object({ handoffId: z.string().max(100).optional(), conversationId: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });

function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** `/api/v1/lead`, behind `requireAgent` and `requireLead`. */
export function leadRoutes(deps: { store: ConversationStore; insights: QueueInsights; directory: HandoffDirectory; clock: () => Date }): Router {
  const router = Router();

  router.get('/overview', async (request, response) => {
    const query = overviewQuery.parse(request.query);
    const now = deps.clock();
    // "Today" in the lead's zone, else in the zone of the first group with hours.
    const zone = validZone(query.tz) ?? deps.directory.groups().find((group) => group.hours)?.hours?.time_zone ?? 'Asia/Shanghai';
    const since = startOfDay(now, zone);
    const [handoffs, ratings, agents, outcomes, firstReplies] = await Promise.all([
      deps.store.handoffsActiveSince(since.toISOString()), deps.store.listRatings(since.toISOString()), deps.insights.agents(),
      deps.store.conversationOutcomesSince(since.toISOString()), deps.store.firstAgentRepliesSince(since.toISOString()),
    ]);
    const groups = deps.directory.groups().map((group) => ({
      id: group.id, name: group.name, slaSeconds: group.sla_seconds, firstResponseTargetSeconds: firstResponseTarget(group),
    }));
    response.json({ timeZone: zone, ...leadOverview({ now, since, handoffs, ratings, agents, groups, outcomes, firstReplies }) });
  });

  router.get('/webhooks', async (request, response) => {
    const query = webhookQuery.parse(request.query);
    const deliveries = await deps.store.listWebhooks({ ...(query.status ? { status: query.status } : {}), limit: 100 });
    // The payload holds the transcript: the console needs the state, not the body.
    response.json({ deliveries: deliveries.map(({ payload: _payload, ...delivery }) => delivery) });
  });

  /** The audit log: every agent action, newest first. */
  router.get('/actions', async (request, response) => {
    const query = actionsQuery.parse(request.query);
    response.json({ actions: await deps.store.listAgentActions({
      limit: query.limit, ...(query.handoffId ? { handoffId: query.handoffId } : {}), ...(query.conversationId ? { conversationId: query.conversationId } : {}),
    }) });
  });

  return router;
}
