/**
 * What to do with one verified WeChat or WeCom push: handle each message once, answer text
 * within the passive-reply budget, and send a late answer through the API instead.
 *
 * @module
 */
import type { TurnResult } from '../../conversation/conversation-engine.js';
import type { Logger } from '../../logger.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { Lang } from '../../text/lang.js';
import { textOnlyReply } from '../channel-texts.js';
import type { CustomerConversations } from '../customer-conversations.js';
import { claimDeliveries, outgoing } from '../delivery-claims.js';
import { InboundClaim } from '../inbound-claim.js';
import type { WechatAccount } from './wechat-account.js';
import { wechatTextParts } from './wechat-text-parts.js';
import type { WechatInbound } from './wechat-xml.js';

/** The passive reply: a text, or the bare acknowledgement (`success`) after which WeChat does nothing. */
export type WechatReply = { kind: 'text'; text: string } | { kind: 'ack' };

/** Dependencies of `WechatInboundHandler`. */
export interface WechatInboundDeps {
  customers: Pick<CustomerConversations, 'find' | 'receive'>;
  store: ConversationStore;
  /** Sends a text asynchronously (the customer-service API). */
  sendText: (toUser: string, text: string) => Promise<void>;
  /** The bot's welcome in a language (the greeting of `prompts/replies.yaml`). */
  greeting: (lang: Lang) => string;
  clock: () => Date;
  logger: Logger;
  /** How long a turn may run before the passive reply is given up, in ms; 0 always uses the API. */
  passiveBudgetMs: number;
  /** Longest customer text passed on, in characters; longer texts are cut. */
  maxMessageChars: number;
}

const ACK: WechatReply = { kind: 'ack' };

/** Handles verified pushes of one account. */
export class WechatInboundHandler {
  readonly #late = new Set<Promise<void>>();

  constructor(
    private readonly account: WechatAccount,
    private readonly deps: WechatInboundDeps,
  ) {}

  /**
   * Answers `message` once: WeChat's retries of a message (same MsgId, or same sender and
   * CreateTime for events) find the claim taken, in any instance, and get the bare ack. When
   * handling fails before a reply was produced, the claim is given back, so the retry that
   * WeChat sends after an error is handled again instead of being acknowledged with nothing.
   */
  async handle(message: WechatInbound): Promise<WechatReply> {
    const claim = await InboundClaim.take(this.deps, this.dedupeKey(message));
    if (!claim) return ACK;
    try {
      return await this.reply(message, claim);
    } catch (error) {
      await claim.release();
      throw error;
    }
  }

  /** Waits for late answers still being sent (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#late]);
  }

  private async reply(message: WechatInbound, claim: InboundClaim): Promise<WechatReply> {
    const { customers } = this.deps;
    if (message.MsgType === 'event') return this.event(message);
    const text = message.MsgType === 'text' ? message.Content : message.MsgType === 'voice' ? message.Recognition : undefined;
    if (text === undefined || (message.MsgType === 'voice' && text.trim() === '')) {
      const conversation = await customers.find(this.account.channel, message.FromUserName);
      return { kind: 'text', text: textOnlyReply(conversation?.lang) };
    }
    if (text.trim() === '') return ACK;
    return this.answer(message, cut(text.trim(), this.deps.maxMessageChars), claim);
  }

  private async event(message: WechatInbound): Promise<WechatReply> {
    if (message.Event?.toLowerCase() !== 'subscribe') return ACK;
    const conversation = await this.deps.customers.find(this.account.channel, message.FromUserName);
    return { kind: 'text', text: this.deps.greeting(conversation?.lang ?? 'zh') };
  }

  private async answer(message: WechatInbound, text: string, claim: InboundClaim): Promise<WechatReply> {
    const { customers, passiveBudgetMs } = this.deps;
    if ((await claim.resume(this.account.channel, message.FromUserName, text)) === 'answered') return ACK;
    const turn = customers.receive(
      {
        channel: this.account.channel,
        customer: { id: message.FromUserName },
        text,
        address: {
          receiveId: this.account.receiveId,
          openid: message.FromUserName,
          account: message.ToUserName,
          ...(message.AgentID !== undefined ? { agentId: message.AgentID } : {}),
        },
      },
      claim.turnOptions(),
    );
    let timer: NodeJS.Timeout | undefined;
    // A budget of 0 means every answer goes through the API, however fast the turn is.
    const late = new Promise<'late'>((resolve) => {
      if (passiveBudgetMs <= 0) resolve('late');
      else timer = setTimeout(() => resolve('late'), passiveBudgetMs);
    });
    const first = await Promise.race([late, turn]).finally(() => clearTimeout(timer));
    // From here WeChat gets a reply or the ack, and does not retry: a failure is only logged.
    claim.replied();
    if (first !== 'late') {
      const texts = (await this.claim(first)).map((reply) => reply.text);
      if (texts.length === 0) return ACK;
      // One passive reply per push: what does not fit in it follows through the API.
      const [passive = '', ...more] = wechatTextParts(texts.join('\n\n'));
      if (more.length > 0) this.inBackground(this.sendAll(message.FromUserName, more));
      return { kind: 'text', text: passive };
    }
    // Too slow for the passive reply: acknowledge now, send the answer when it is ready.
    this.inBackground(turn.then(async (result) => this.sendAll(message.FromUserName, (await this.claim(result)).map((reply) => reply.text))));
    return ACK;
  }

  private async sendAll(toUser: string, texts: string[]): Promise<void> {
    for (const text of texts) {
      for (const part of wechatTextParts(text)) await this.deps.sendText(toUser, part);
    }
  }

  private inBackground(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.deps.logger.error('late WeChat answer failed', { channel: this.account.channel, error: (error as Error).message });
    });
    this.#late.add(tracked);
    void tracked.finally(() => this.#late.delete(tracked));
  }

  private claim(result: TurnResult) {
    return claimDeliveries(this.deps.store, outgoing(result.messages), this.deps.clock().toISOString());
  }

  private dedupeKey(message: WechatInbound): string {
    const account = `${this.account.channel}:${this.account.receiveId}${message.AgentID !== undefined ? `:${message.AgentID}` : ''}`;
    return message.MsgId !== undefined
      ? `${account}:msg:${message.MsgId}`
      : `${account}:event:${message.FromUserName}:${message.CreateTime}:${message.Event ?? message.MsgType}`;
  }
}

/** Cuts by code point, so an emoji at the limit is never split. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}
