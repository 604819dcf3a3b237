/**
 * Assembles one WeChat-protocol account (Official Account or WeCom app): callback routes,
 * inbound handler, API client and outbound channel.
 *
 * @module
 */
import type { ChannelPart, SharedChannelDeps } from '../channel-part.js';
import type { WechatAccount } from './wechat-account.js';
import { WechatApiClient } from './wechat-api-client.js';
import { WechatChannel } from './wechat-channel.js';
import { WechatInboundHandler } from './wechat-inbound.js';
import { wechatRoutes } from './wechat-routes.js';

/** The channel part of `account`, or undefined when it is not configured. */
export function createWechat(account: WechatAccount | undefined, deps: SharedChannelDeps): ChannelPart | undefined {
  if (account === undefined) return undefined;
  const api = new WechatApiClient(account, deps.fetch !== undefined ? { fetch: deps.fetch } : {});
  const sendText = (toUser: string, text: string) => api.sendText(toUser, text);
  const handler = new WechatInboundHandler(account, {
    customers: deps.customers,
    store: deps.store,
    sendText,
    greeting: deps.greeting,
    clock: deps.clock,
    logger: deps.logger.child({ channel: account.channel }),
    passiveBudgetMs: deps.config.WECHAT_PASSIVE_REPLY_BUDGET_MS,
    maxMessageChars: deps.config.MAX_MESSAGE_CHARS,
  });
  return {
    path: `/${account.channel}`,
    router: wechatRoutes(account, handler, deps.clock),
    channel: new WechatChannel(account, sendText, deps.store),
    stop: () => handler.drain(),
  };
}
