/**
 * What to do with one verified WeChat or WeCom push: handle each message once, answer text
 * within the passive-reply budget, and send a late answer through the API instead.
 *
 * @module
 */
import type { TurnResult } from '../../conversation/conversation-engine.js';
import type { Logger } from '../../logger.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { StoredMessage } from '../../store/records.js';
import type { Lang } from '../../text/lang.js';
import { textOnlyReply } from '../channel-texts.js';
import type { CustomerConversations } from '../customer-conversations.js';
import { claimDeliveries, outgoing } from '../delivery-claims.js';
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

/** What one attempt at a push got done, for giving its claim back when it fails. */
interface Attempt {
  /** A reply was produced (sent passively, or promised through the API after the ack). */
  replied: boolean;
  /** This push's customer message, once stored (by this attempt or an earlier one). */
  stored?: StoredMessage;
  /** This attempt took the `:retry` marker of an earlier failed attempt. */
  retry: boolean;
}

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
    const { store, clock } = this.deps;
    const key = this.dedupeKey(message);
    if (!(await store.claimOnce(key, clock().toISOString()))) return ACK;
    const attempt: Attempt = { replied: false, retry: false };
    try {
      return await this.reply(message, key, attempt);
    } catch (error) {
      if (!attempt.replied) await this.release(key, attempt);
      throw error;
    }
  }

  /** Waits for late answers still being sent (shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#late]);
  }

  private async reply(message: WechatInbound, key: string, attempt: Attempt): Promise<WechatReply> {
    const { customers } = this.deps;
    if (message.MsgType === 'event') return this.event(message);
    const text = message.MsgType === 'text' ? message.Content : message.MsgType === 'voice' ? message.Recognition : undefined;
    if (text === undefined || (message.MsgType === 'voice' && text.trim() === '')) {
      const conversation = await customers.find(this.account.channel, message.FromUserName);
      return { kind: 'text', text: textOnlyReply(conversation?.lang) };
    }
    if (text.trim() === '') return ACK;
    return this.answer(message, cut(text.trim(), this.deps.maxMessageChars), key, attempt);
  }

  private async event(message: WechatInbound): Promise<WechatReply> {
    if (message.Event?.toLowerCase() !== 'subscribe') return ACK;
    const conversation = await this.deps.customers.find(this.account.channel, message.FromUserName);
    return { kind: 'text', text: this.deps.greeting(conversation?.lang ?? 'zh') };
  }

  private async answer(message: WechatInbound, text: string, key: string, attempt: Attempt): Promise<WechatReply> {
    const { customers, passiveBudgetMs } = this.deps;
    const earlier = await this.earlierAttempt(message, text, key, attempt);
    if (earlier === 'answered') return ACK;
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
      {
        ...(attempt.stored !== undefined ? { customerMessage: attempt.stored } : {}),
        onCustomerMessage: (stored) => {
          attempt.stored = stored;
        },
      },
    );
    let timer: NodeJS.Timeout | undefined;
    // A budget of 0 means every answer goes through the API, however fast the turn is.
    const late = new Promise<'late'>((resolve) => {
      if (passiveBudgetMs <= 0) resolve('late');
      else timer = setTimeout(() => resolve('late'), passiveBudgetMs);
    });
    const first = await Promise.race([late, turn]).finally(() => clearTimeout(timer));
    // From here WeChat gets a reply or the ack, and does not retry: a failure is only logged.
    attempt.replied = true;
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

  /**
   * Whether an earlier attempt at this push failed after storing the customer's message (see
   * `release`). Then this retry answers that message (`attempt.stored`) rather than storing it a
   * second time; when the failed attempt even stored a reply, the outbound dispatcher delivers it
   * and the retry only acknowledges (`'answered'`). A first attempt costs one delete by key.
   */
  private async earlierAttempt(message: WechatInbound, text: string, key: string, attempt: Attempt): Promise<'answered' | undefined> {
    const { store, customers } = this.deps;
    if (!(await store.releaseDedupeKey(retryKey(key)))) return undefined;
    attempt.retry = true;
    const conversation = await customers.find(this.account.channel, message.FromUserName);
    if (conversation === undefined) return undefined;
    const messages = await store.listMessages(conversation.id);
    for (const [index, candidate] of [...messages.entries()].reverse()) {
      if (candidate.role !== 'customer' || candidate.text !== text) continue;
      // The marker names the stored message's id, so a same text sent again is never mistaken for it.
      if (!(await store.releaseDedupeKey(storedKey(key, candidate.id)))) continue;
      attempt.stored = candidate;
      const next = messages.slice(index + 1).find((later) => later.role !== 'agent');
      return next !== undefined && next.role !== 'customer' ? 'answered' : undefined;
    }
    return undefined;
  }

  /**
   * Gives the claim of a failed push back, so WeChat's retry is handled. The customer's message is
   * stored before the turn's other steps (nothing is lost when one fails), so a retry running the
   * turn again would store it twice: when this attempt stored it, the message's id is noted first
   * (`:stored:<id>`, found by the retry through `:retry`) and the retry answers the stored message.
   * The notes live in the store, like the claim, because the retry may reach another instance.
   */
  private async release(key: string, attempt: Attempt): Promise<void> {
    const { store, clock, logger } = this.deps;
    try {
      const at = clock().toISOString();
      if (attempt.stored !== undefined) await store.claimOnce(storedKey(key, attempt.stored.id), at);
      if (attempt.stored !== undefined || attempt.retry) await store.claimOnce(retryKey(key), at);
      await store.releaseDedupeKey(key);
    } catch (error) {
      logger.error('could not release a failed WeChat message for its retry', { channel: this.account.channel, error: (error as Error).message });
    }
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

/** Marks a push whose failed attempt stored the customer's message (or found it stored). */
function retryKey(key: string): string {
  return `${key}:retry`;
}

/** Names the customer's message that a failed attempt at push `key` stored. */
function storedKey(key: string, messageId: string): string {
  return `${key}:stored:${messageId}`;
}

/** Cuts by code point, so an emoji at the limit is never split. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}
