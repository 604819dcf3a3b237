/**
 * Builds the configured channels: their inbound routes (mounted under `/channels` only when
 * configured), their outbound adapters, and the dispatcher that sends agent replies and
 * notices back through them.
 *
 * @example
 * const channels = await createChannels({ config, engine, store, events, logger, greeting });
 * app.use('/channels', channels.router); // createApp does this with `channelRouter`
 * channels.start();
 *
 * @module
 */
import { Router } from 'express';
import type { Config } from '../config.js';
import type { ConversationEngine } from '../conversation/conversation-engine.js';
import { NotFoundError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { EventBus } from '../store/event-bus.js';
import type { Lang } from '../text/lang.js';
import type { Channels } from './channel.js';
import { CustomerConversations } from './customer-conversations.js';
import { OutboundDispatcher } from './outbound-dispatcher.js';
import type { ChannelPart, SharedChannelDeps } from './channel-part.js';
import { teamsConfigured } from './teams/teams-configured.js';
import { officialAccountFrom, wecomAccountFrom } from './wechat/wechat-account.js';

/** What the channels need from the rest of the service. */
export interface ChannelDeps {
  config: Config;
  engine: Pick<ConversationEngine, 'start' | 'handleCustomerMessage'>;
  store: ConversationStore;
  events: EventBus;
  logger: Logger;
  /** The bot's welcome in a language (the greeting of `prompts/replies.yaml`). */
  greeting: (lang: Lang) => string;
  clock?: () => Date;
  /** Replaces global `fetch` for the WeChat API and the Teams token (tests). */
  fetch?: typeof fetch;
  /** Grace before the dispatcher claims bot and system messages, in ms. Default 1500. */
  deliveryGraceMs?: number;
}

/** The built channels. */
export interface ChannelRuntime {
  /** Routes of the configured channels, to mount at `/channels`. */
  router: Router;
  /** Outbound adapters by channel name. */
  channels: Channels;
  /** Starts delivering agent replies and notices (and Teams handoff announcements). */
  start(): void;
  /** Stops listening and waits for sends under way. */
  stop(): Promise<void>;
}

/**
 * Builds every channel the config enables; with none configured the router only answers 404.
 * A channel's code (the Bot Framework SDK, the XML parser) is loaded only when it is configured:
 * the Teams SDK alone adds about 40 MB to a process that does not use it.
 */
export async function createChannels(deps: ChannelDeps): Promise<ChannelRuntime> {
  const clock = deps.clock ?? (() => new Date());
  const customers = new CustomerConversations({ engine: deps.engine, store: deps.store, clock });
  const shared = { ...deps, clock, customers };
  const router = Router();
  const channels: Channels = {};
  const parts = (await configuredParts(shared)).filter((part) => part !== undefined);
  for (const part of parts) {
    router.use(part.path, part.router);
    channels[part.channel.name] = part.channel;
    deps.logger.info('channel mounted', { channel: part.channel.name, path: `/channels${part.path}` });
  }
  router.use((_request, _response, next) => next(new NotFoundError('channel route')));

  const dispatcher = new OutboundDispatcher({
    store: deps.store,
    events: deps.events,
    channels,
    logger: deps.logger,
    clock,
    ...(deps.deliveryGraceMs !== undefined ? { graceMs: deps.deliveryGraceMs } : {}),
  });
  return {
    router,
    channels,
    start() {
      dispatcher.start();
      for (const part of parts) part.start?.();
    },
    async stop() {
      await dispatcher.stop();
      await Promise.all(parts.map((part) => part.stop?.()));
    },
  };
}

async function configuredParts(shared: SharedChannelDeps): Promise<Array<ChannelPart | undefined>> {
  const accounts = [officialAccountFrom(shared.config), wecomAccountFrom(shared.config)].filter((account) => account !== undefined);
  const parts: Array<ChannelPart | undefined> = [];
  if (accounts.length > 0) {
    const { createWechat } = await import('./wechat/create-wechat.js');
    parts.push(...accounts.map((account) => createWechat(account, shared)));
  }
  if (teamsConfigured(shared.config)) {
    const { createTeams } = await import('./teams/create-teams.js');
    parts.push(createTeams(shared));
  }
  return parts;
}
