/**
 * The outbound side of Teams: agent replies and notices go out as proactive messages to the
 * conversation reference saved from the customer's latest activity. Its serviceUrl is trusted
 * because the inbound JWT's `serviceurl` claim had to match it.
 *
 * @module
 */
import type { ConversationStore } from '../../store/conversation-store.js';
import type { Conversation, StoredMessage } from '../../store/records.js';
import type { Channel } from '../channel.js';
import { ChannelDeliveryError } from '../channel-errors.js';
import { referenceSchema } from './teams-activity.js';
import type { TeamsConnector } from './teams-connector.js';

/** `Channel` for Microsoft Teams. */
export class TeamsChannel implements Channel {
  readonly name = 'teams' as const;

  constructor(
    private readonly connector: TeamsConnector,
    private readonly store: ConversationStore,
  ) {}

  async deliver(conversation: Conversation, message: StoredMessage): Promise<void> {
    const ref = await this.store.getChannelRef(conversation.id);
    const reference = referenceSchema.safeParse(ref?.address);
    if (!reference.success) throw new ChannelDeliveryError('Teams conversation has no stored reference');
    await this.connector.reply(reference.data, undefined, message.text);
  }
}
