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
import { InboundClaim } from '../inbound-claim.js';
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

  /**
   * Handles `activity`, ignoring a redelivery of the same activity id in the same conversation;
   * a message whose turn fails before it is answered is handled again when the connector retries.
   */
  async handle(activity: TeamsActivity): Promise<void> {
    let claim: InboundClaim | undefined;
    if (activity.id !== undefined) {
      claim = await InboundClaim.take(this.deps, `teams:activity:${activity.channelId}:${activity.conversation.id}:${activity.id}`);
      if (!claim) return;
    }
    const reference = referenceOf(activity);
    if (activity.type === 'message') {
      try {
        return await this.message(activity, reference, claim);
      } catch (error) {
        await claim?.release();
        throw error;
      }
    }
    if (activity.type === 'conversationUpdate' && activity.membersAdded?.some((member) => member.id === activity.recipient.id)) {
      await this.send(reference, undefined, this.deps.greeting(langOfLocale(activity.locale) ?? 'zh'));
    }
    // Typing, reactions, installation updates and the rest need no answer.
  }

  private async message(activity: TeamsActivity, reference: TeamsReference, claim: InboundClaim | undefined): Promise<void> {
    const { customers, store, clock } = this.deps;
    const text = Array.from(customerText(activity)).slice(0, this.deps.maxMessageChars).join('');
    const lang = langOfLocale(activity.locale);
    if (text === '') {
      // Only pictures, files or cards: say what we can read.
      if ((activity.attachments?.length ?? 0) > 0) await this.send(reference, activity.id, textOnlyReply(lang));
      return;
    }
    if ((await claim?.resume('teams', activity.from.id, text)) === 'answered') return;
    const turn = await customers.receive(
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
      claim?.turnOptions(),
    );
    // Sending failures below are logged, not thrown: the turn is done and its replies are stored.
    claim?.replied();
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
