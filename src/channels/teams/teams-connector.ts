/**
 * Outbound Bot Framework calls through `ConnectorClient`: replies, proactive messages to a
 * stored reference, and posts to a Teams channel. Each call goes to the conversation's own
 * regional serviceUrl; SDK errors become `ChannelDeliveryError`.
 *
 * @module
 */
import { ConnectorClient, type AppCredentials } from 'botframework-connector';
import type { Activity, ChannelAccount, ConversationAccount } from 'botframework-schema';
import { ChannelDeliveryError } from '../channel-errors.js';
import type { TeamsReference } from './teams-activity.js';

/** The Bot Connector operations the Teams adapter uses. */
export interface TeamsConnector {
  /** Answers in the conversation of `reference`, threaded under `replyToId` when given. */
  reply(reference: TeamsReference, replyToId: string | undefined, text: string): Promise<void>;
  /** Posts a plain-text message (no Markdown) to a conversation or channel that has no activity to answer. */
  post(serviceUrl: string, conversationId: string, text: string): Promise<void>;
}

/** Clients kept per serviceUrl; Teams uses a handful of regional ones. */
const MAX_CLIENTS = 32;

/** `TeamsConnector` over `ConnectorClient`. */
export class BotConnector implements TeamsConnector {
  readonly #clients = new Map<string, ConnectorClient>();

  constructor(private readonly credentials: AppCredentials) {}

  async reply(reference: TeamsReference, replyToId: string | undefined, text: string): Promise<void> {
    const activity: Partial<Activity> = {
      type: 'message',
      text,
      from: defined<ChannelAccount>(reference.bot),
      recipient: defined<ChannelAccount>(reference.user),
      conversation: defined<ConversationAccount>(reference.conversation),
      ...(reference.locale !== undefined ? { locale: reference.locale } : {}),
    };
    const conversations = this.client(reference.serviceUrl).conversations;
    await this.call(() =>
      replyToId === undefined
        ? conversations.sendToConversation(reference.conversation.id, activity)
        : conversations.replyToActivity(reference.conversation.id, replyToId, { ...activity, replyToId }),
    );
  }

  async post(serviceUrl: string, conversationId: string, text: string): Promise<void> {
    await this.call(() => this.client(serviceUrl).conversations.sendToConversation(conversationId, { type: 'message', text, textFormat: 'plain' }));
  }

  private client(serviceUrl: string): ConnectorClient {
    let client = this.#clients.get(serviceUrl);
    if (client === undefined) {
      if (this.#clients.size >= MAX_CLIENTS) this.#clients.delete(this.#clients.keys().next().value as string);
      client = new ConnectorClient(this.credentials, { baseUri: serviceUrl });
      this.#clients.set(serviceUrl, client);
    }
    return client;
  }

  private async call(operation: () => Promise<unknown>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      if (error instanceof ChannelDeliveryError) throw error;
      const status = (error as { statusCode?: unknown }).statusCode;
      throw new ChannelDeliveryError(`Bot Connector call failed${typeof status === 'number' ? ` (HTTP ${status})` : ''}`, typeof status === 'number' ? status : undefined, { cause: error });
    }
  }
}

/**
 * The schema types mark `name`, `isGroup` and `conversationType` as required, but the service
 * does not need them; sending only what the inbound activity had avoids inventing values.
 */
function defined<T>(value: object): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
