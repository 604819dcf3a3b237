/**
 * Assembles the Teams channel from config: authenticator, connector with the bot's
 * credentials, inbound handler, outbound channel and the handoff announcer.
 *
 * @module
 */
import type { ChannelPart, SharedChannelDeps } from '../channel-part.js';
import { TeamsAuthenticator } from './teams-auth.js';
import { TeamsChannel } from './teams-channel.js';
import { BotConnector } from './teams-connector.js';
import { BotCredentials } from './teams-credentials.js';
import { TeamsHandoffAnnouncer } from './teams-handoff-announcer.js';
import { TeamsInboundHandler } from './teams-inbound.js';
import { teamsConfigured } from './teams-configured.js';
import { teamsRoutes } from './teams-routes.js';

/** The Teams part, or undefined unless `TEAMS_APP_ID` is set or the emulator mode is on. */
export function createTeams(deps: SharedChannelDeps): ChannelPart | undefined {
  const { config } = deps;
  if (!teamsConfigured(config)) return undefined;
  const auth = new TeamsAuthenticator({
    appId: config.TEAMS_APP_ID,
    appPassword: config.TEAMS_APP_PASSWORD,
    openIdMetadataUrl: config.TEAMS_OPENID_METADATA_URL,
    allowUnauthenticated: config.TEAMS_ALLOW_UNAUTHENTICATED,
  });
  // With an empty app id (emulator) the credentials sign nothing.
  const connector = new BotConnector(
    new BotCredentials({
      appId: config.TEAMS_APP_ID ?? '',
      appPassword: config.TEAMS_APP_PASSWORD ?? '',
      tenantId: config.TEAMS_TENANT_ID,
      tokenUrl: config.TEAMS_TOKEN_URL,
      ...(deps.fetch !== undefined ? { fetch: deps.fetch } : {}),
    }),
  );
  const logger = deps.logger.child({ channel: 'teams' });
  const handler = new TeamsInboundHandler({
    customers: deps.customers,
    store: deps.store,
    connector,
    greeting: deps.greeting,
    clock: deps.clock,
    logger,
    maxMessageChars: config.MAX_MESSAGE_CHARS,
  });
  const announcer = new TeamsHandoffAnnouncer({
    store: deps.store,
    events: deps.events,
    connector,
    targets: config.TEAMS_HANDOFF_CHANNELS ?? {},
    publicBaseUrl: config.PUBLIC_BASE_URL,
    clock: deps.clock,
    logger,
  });
  return {
    path: '/teams',
    router: teamsRoutes(auth, handler),
    channel: new TeamsChannel(connector, deps.store),
    start: () => announcer.start(),
    stop: () => announcer.stop(),
  };
}
