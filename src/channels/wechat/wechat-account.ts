/**
 * One WeChat-protocol account this service answers for: an Official Account (公众号) or a
 * WeCom (企业微信) app. Both speak the same callback protocol and differ in a few places.
 *
 * @module
 */
import type { Config } from '../../config.js';
import { aesKeyFrom } from './wechat-crypto.js';

/** What the callback and API code needs to know about an account. */
export interface WechatAccount {
  channel: 'wechat' | 'wecom';
  /** The callback Token that signatures are computed with. */
  token: string;
  /** AppID (Official Account) or CorpID (WeCom): the receive id of encrypted messages. */
  receiveId: string;
  /** The AES key; absent means plain mode (Official Accounts only: WeCom always encrypts). */
  aesKey?: Buffer;
  /** Secret for the API access token (AppSecret or the WeCom app Secret). */
  secret: string;
  /** WeCom AgentId that asynchronous messages are sent as. */
  agentId?: number;
  /** Base URL of the API, without a trailing slash. */
  apiBaseUrl: string;
}

/** The Official Account from config, or undefined when `WECHAT_TOKEN` is not set. */
export function officialAccountFrom(config: Config): WechatAccount | undefined {
  const { WECHAT_TOKEN: token, WECHAT_APP_ID: appId, WECHAT_APP_SECRET: secret } = config;
  if (token === undefined || appId === undefined || secret === undefined) return undefined;
  return {
    channel: 'wechat',
    token,
    receiveId: appId,
    secret,
    apiBaseUrl: config.WECHAT_API_BASE_URL.replace(/\/+$/, ''),
    ...(config.WECHAT_ENCODING_AES_KEY !== undefined ? { aesKey: aesKeyFrom(config.WECHAT_ENCODING_AES_KEY) } : {}),
  };
}

/** The WeCom app from config, or undefined when `WECOM_TOKEN` is not set. */
export function wecomAccountFrom(config: Config): WechatAccount | undefined {
  const { WECOM_TOKEN: token, WECOM_CORP_ID: corpId, WECOM_SECRET: secret, WECOM_ENCODING_AES_KEY: key, WECOM_AGENT_ID: agentId } = config;
  if (token === undefined || corpId === undefined || secret === undefined || key === undefined || agentId === undefined) return undefined;
  return {
    channel: 'wecom',
    token,
    receiveId: corpId,
    aesKey: aesKeyFrom(key),
    secret,
    agentId,
    apiBaseUrl: config.WECOM_API_BASE_URL.replace(/\/+$/, ''),
  };
}
