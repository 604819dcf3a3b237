/**
 * `GET /api/v1/agent/canned-responses`: the team's canned responses (快捷回复) the caller may
 * use: their own (`personal`), then those of their skill groups and the unrestricted ones; a
 * lead and the service token get every team set.
 *
 * @module
 */
import { Router } from 'express';
import { cannedResponsesFor, type CannedResponsesFile } from '../knowledge/canned-responses.js';
import { agentOf } from './agent-auth.js';

export interface CannedRouteDeps {
  canned: CannedResponsesFile;
}

/** Mounted behind `requireAgent`. */
export function cannedRoutes(deps: CannedRouteDeps): Router {
  const router = Router();
  router.get('/', (request, response) => {
    const agent = agentOf(request);
    const groups = agent.kind === 'service' || agent.role === 'lead' ? undefined : agent.groups;
    response.json({ responses: cannedResponsesFor(deps.canned, groups, agent.kind === 'service' ? undefined : agent.id) });
  });
  return router;
}
