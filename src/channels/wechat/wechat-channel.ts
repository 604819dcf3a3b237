/**
 * The outbound side of WeChat and WeCom: agent replies and notices reach the customer through
 * the customer-service message API, addressed by the OpenID (or WeCom UserID) saved with the
 * conversation.
 *
 * @module
 */
import { z } from 'zod';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { Conversation, StoredMessage } from '../../store/records.js';
import type { Channel } from '../channel.js';
import { ChannelDeliveryError } from '../channel-errors.js';
import type { WechatAccount } from './wechat-account.js';
import { wechatTextParts } from './wechat-text-parts.js';

/** The channel ref `address` of a WeChat conversation, as `WechatInboundHandler` saves it. */
const wechatAddressSchema = z.object({ receiveId: z.string(), openid: z.string().min(1) });

/** `Channel` for one Official Account or WeCom app. */
export class WechatChannel implements Channel {
  readonly name: 'wechat' | 'wecom';

  constructor(
    private readonly account: WechatAccount,
    private readonly sendText: (toUser: string, text: string) => Promise<void>,
    private readonly store: ConversationStore,
  ) {
    this.name = account.channel;
  }

  async deliver(conversation: Conversation, message: StoredMessage): Promise<void> {
    const ref = await this.store.getChannelRef(conversation.id);
    const address = wechatAddressSchema.safeParse(ref?.address);
    // An OpenID belongs to one account: never send it through another one.
    if (address.success && address.data.receiveId !== this.account.receiveId) {
      throw new ChannelDeliveryError(`${this.name} conversation belongs to another account`);
    }
    const toUser = address.success ? address.data.openid : conversation.customer.id;
    if (toUser === undefined) throw new ChannelDeliveryError(`${this.name} conversation has no user id`);
    for (const part of wechatTextParts(message.text)) await this.sendText(toUser, part);
  }
}
