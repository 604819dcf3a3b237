/**
 * What to do with one authenticated Teams activity: a message runs a turn and is answered in
 * its thread; the bot being added to a conversation sends the welcome; each activity once.
 *
 * @module
 */
import type { Logger } from '../../logger.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { Lang } from '../../text/lang.js';
import { textOnlyReply } from '../channel-texts.js';
import type { CustomerConversations } from '../customer-conversations.js';
import { claimDeliveries, outgoing } from '../delivery-claims.js';
import { customerText, langOfLocale, referenceOf, type TeamsActivity, type TeamsReference } from './teams-activity.js';
import type { TeamsConnector } from './teams-connector.js';

/** Dependencies of `TeamsInboundHandler`. */
export interface TeamsInboundDeps {
  customers: Pick<CustomerConversations, 'find' | 'receive'>;
  store: ConversationStore;
  connector: TeamsConnector;
  /** The bot's welcome in a language (the greeting of `prompts/replies.yaml`). */
  greeting: (lang: Lang) => string;
  clock: () => Date;
  logger: Logger;
  /** Longest customer text passed on, in characters; longer texts are cut. */
  maxMessageChars: number;
}

/** Handles authenticated activities. */
export class TeamsInboundHandler {
  constructor(private readonly deps: TeamsInboundDeps) {}

  /** Handles `activity`, ignoring a redelivery of the same activity id in the same conversation. */
  async handle(activity: TeamsActivity): Promise<void> {
    const { store, clock } = this.deps;
    const key = activity.id === undefined ? undefined : `teams:activity:${activity.channelId}:${activity.conversation.id}:${activity.id}`;
    if (key !== undefined && !(await store.claimOnce(key, clock().toISOString()))) return;
    const reference = referenceOf(activity);
    if (activity.type === 'message') return this.message(activity, reference, key);
    if (activity.type === 'conversationUpdate' && activity.membersAdded?.some((member) => member.id === activity.recipient.id)) {
      await this.send(reference, undefined, this.deps.greeting(langOfLocale(activity.locale) ?? 'zh'));
    }
    // Typing, reactions, installation updates and the rest need no answer.
  }

  private async message(activity: TeamsActivity, reference: TeamsReference, claim: string | undefined): Promise<void> {
    const { customers, store, clock } = this.deps;
    const text = Array.from(customerText(activity)).slice(0, this.deps.maxMessageChars).join('');
    const lang = langOfLocale(activity.locale);
    if (text === '') {
      // Only pictures, files or cards: say what we can read.
      if ((activity.attachments?.length ?? 0) > 0) await this.send(reference, activity.id, textOnlyReply(lang));
      return;
    }
    let stored = false;
    let turn;
    try {
      turn = await customers.receive(
        {
          channel: 'teams',
          customer: {
            id: activity.from.id,
            ...(activity.from.name !== undefined ? { name: activity.from.name } : {}),
            ...(lang !== undefined ? { lang } : {}),
          },
          text,
          address: reference,
        },
        { onCustomerMessage: () => (stored = true) },
      );
    } catch (error) {
      // Nothing of this activity was kept: give its claim back, so the connector's retry of the
      // failed request (a 5xx) is handled instead of dropped. Once the message is stored the claim
      // stays: a retry would store it twice, and the stored reply is delivered by the dispatcher.
      if (!stored && claim !== undefined) await store.releaseDedupeKey(claim);
      throw error;
    }
    for (const reply of await claimDeliveries(store, outgoing(turn.messages), clock().toISOString())) {
      await this.send(reference, activity.id, reply.text);
    }
  }

  /**
   * Answers, logging a failure instead of failing the request: the activity is stored and
   * claimed, so the Bot Connector retrying it would not bring the answer back.
   */
  private async send(reference: TeamsReference, replyToId: string | undefined, text: string): Promise<void> {
    try {
      await this.deps.connector.reply(reference, replyToId, text);
    } catch (error) {
      this.deps.logger.error('Teams reply failed', { error: (error as Error).message, code: (error as { code?: unknown }).code });
    }
  }
}
