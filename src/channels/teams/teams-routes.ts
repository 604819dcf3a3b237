/**
 * `POST /channels/teams/messages`: the bot's messaging endpoint. Every activity is
 * authenticated first (401 otherwise), then validated, handled and acknowledged with 200; the
 * answers go out as separate Bot Connector calls.
 *
 * @module
 */
import { Router } from 'express';
import { ChannelPayloadError } from '../channel-errors.js';
import { activitySchema } from './teams-activity.js';
import type { TeamsAuthenticator } from './teams-auth.js';
import type { TeamsInboundHandler } from './teams-inbound.js';

/** The Teams router, mounted at `/channels/teams`; JSON bodies come from the app's parser. */
export function teamsRoutes(auth: TeamsAuthenticator, handler: TeamsInboundHandler): Router {
  const router = Router();
  router.post('/messages', async (request, response) => {
    const body: unknown = request.body;
    const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    // The token is checked against the activity's channel and serviceUrl before anything else is read.
    await auth.authenticate(request.get('authorization'), {
      channelId: typeof fields.channelId === 'string' ? fields.channelId : '',
      serviceUrl: typeof fields.serviceUrl === 'string' ? fields.serviceUrl : '',
    });
    const activity = activitySchema.safeParse(body);
    if (!activity.success) {
      const paths = activity.error.issues.map((issue) => issue.path.join('.') || '(body)').join(', ');
      throw new ChannelPayloadError('teams_activity_invalid', `activity fields invalid: ${paths}`);
    }
    await handler.handle(activity.data);
    response.status(200).end();
  });
  return router;
}
