/**
 * The WeChat and WeCom server APIs this service calls: the access token and sending a text
 * message asynchronously (Official Account `message/custom/send`, WeCom `message/send`).
 *
 * The token is cached until shortly before it expires, fetched by one request however many
 * sends wait for it, and refreshed once when the API says it is invalid or expired.
 *
 * @module
 */
import { z } from 'zod';
import { ChannelDeliveryError } from '../channel-errors.js';
import type { WechatAccount } from './wechat-account.js';

/** Options of `WechatApiClient`. */
export interface WechatApiClientOptions {
  /** Replaces global `fetch` (tests). */
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Timeout of each API call, in ms. Default 10,000. */
  timeoutMs?: number;
}

const apiResult = z.object({ errcode: z.number().optional(), errmsg: z.string().optional() });
const tokenResult = apiResult.extend({ access_token: z.string().min(1).optional(), expires_in: z.number().positive().optional() });

/** 40001 invalid credential, 40014 invalid token, 42001 expired token: refresh and try once more. */
const STALE_TOKEN_CODES = new Set([40001, 40014, 42001]);
/** Renew this long before the announced expiry, in ms, so a token never expires mid-call. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

/** A client of one account's API. */
export class WechatApiClient {
  readonly #account: WechatAccount;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  #token: { value: string; expiresAt: number } | undefined;
  #fetching: Promise<string> | undefined;

  constructor(account: WechatAccount, options: WechatApiClientOptions = {}) {
    this.#account = account;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Sends `text` to the user (OpenID or WeCom UserID); throws `ChannelDeliveryError` when refused. */
  async sendText(toUser: string, text: string): Promise<void> {
    const account = this.#account;
    const path = account.channel === 'wecom' ? '/cgi-bin/message/send' : '/cgi-bin/message/custom/send';
    const body = {
      touser: toUser,
      msgtype: 'text',
      ...(account.agentId !== undefined ? { agentid: account.agentId } : {}),
      text: { content: text },
    };
    let result = await this.post(path, await this.accessToken(), body);
    if (result.errcode !== undefined && STALE_TOKEN_CODES.has(result.errcode)) {
      this.#token = undefined;
      result = await this.post(path, await this.accessToken(), body);
    }
    if (result.errcode !== undefined && result.errcode !== 0) {
      throw new ChannelDeliveryError(`${account.channel} send failed: ${result.errcode} ${result.errmsg ?? ''}`.trim(), result.errcode);
    }
  }

  /** The cached token, or a fresh one; concurrent callers share one request. */
  private accessToken(): Promise<string> {
    if (this.#token !== undefined && this.#token.expiresAt > this.#now()) return Promise.resolve(this.#token.value);
    this.#fetching ??= this.fetchToken().finally(() => {
      this.#fetching = undefined;
    });
    return this.#fetching;
  }

  private async fetchToken(): Promise<string> {
    const { channel, receiveId, secret, apiBaseUrl } = this.#account;
    const query =
      channel === 'wecom'
        ? new URLSearchParams({ corpid: receiveId, corpsecret: secret })
        : new URLSearchParams({ grant_type: 'client_credential', appid: receiveId, secret });
    const path = channel === 'wecom' ? '/cgi-bin/gettoken' : '/cgi-bin/token';
    const result = this.read(tokenResult, await this.call(`${apiBaseUrl}${path}?${query.toString()}`, { method: 'GET' }));
    if (result.access_token === undefined || result.expires_in === undefined) {
      throw new ChannelDeliveryError(`${channel} access token refused: ${result.errcode ?? '?'} ${result.errmsg ?? ''}`.trim(), result.errcode);
    }
    const lifetimeMs = result.expires_in * 1000;
    this.#token = { value: result.access_token, expiresAt: this.#now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
    return result.access_token;
  }

  private async post(path: string, token: string, body: unknown): Promise<z.output<typeof apiResult>> {
    const url = `${this.#account.apiBaseUrl}${path}?access_token=${encodeURIComponent(token)}`;
    // WeChat wants Chinese as UTF-8, not \u escapes; JSON.stringify writes UTF-8 already.
    return this.read(apiResult, await this.call(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) }));
  }

  private read<T>(schema: z.ZodType<T>, json: unknown): T {
    const result = schema.safeParse(json);
    if (!result.success) throw new ChannelDeliveryError(`${this.#account.channel} API answered an unexpected shape`);
    return result.data;
  }

  /** One HTTP call; the URL carries secrets, so errors never include it. */
  private async call(url: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (error) {
      throw new ChannelDeliveryError(`${this.#account.channel} API unreachable`, undefined, { cause: (error as Error).name });
    }
    if (!response.ok) throw new ChannelDeliveryError(`${this.#account.channel} API answered HTTP ${response.status}`, response.status);
    try {
      return (await response.json()) as unknown;
    } catch {
      throw new ChannelDeliveryError(`${this.#account.channel} API answered something other than JSON`);
    }
  }
}
