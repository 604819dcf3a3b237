/**
 * The authentication layer of a WeChat or WeCom callback, before anything else reads it:
 * URL verification (GET), signature checks and decryption of pushes (POST), and sealing the
 * passive reply the same way the push came (encrypted in safe mode).
 *
 * @module
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { ChannelPayloadError, ChannelSignatureError } from '../channel-errors.js';
import type { WechatAccount } from './wechat-account.js';
import { decryptMessage, encryptMessage, signatureMatches, signatureOf } from './wechat-crypto.js';
import { encryptedReplyXml, envelopeSchema, parseWechatXml } from './wechat-xml.js';

/** The query parameters WeChat puts on every callback URL. */
export const callbackQuerySchema = z.object({
  signature: z.string().max(64).optional(),
  msg_signature: z.string().max(64).optional(),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: z.string().min(1).max(64),
  echostr: z.string().min(1).max(2048).optional(),
  openid: z.string().max(128).optional(),
  encrypt_type: z.enum(['raw', 'aes']).optional(),
});

export type CallbackQuery = z.output<typeof callbackQuerySchema>;

/** A verified push: its inner XML and whether the reply must be encrypted. */
export interface OpenedCallback {
  xml: string;
  encrypted: boolean;
}

/**
 * The body that completes the admin console's URL check: the `echostr` as received (Official
 * Account, plain signature) or decrypted with the CorpID as receive id (WeCom).
 */
export function verifyCallbackUrl(account: WechatAccount, query: CallbackQuery): string {
  const { timestamp, nonce, echostr } = query;
  if (echostr === undefined) throw new ChannelPayloadError('wechat_echostr_missing', 'echostr is required');
  if (account.channel === 'wechat') {
    requireSignature(query.signature, [account.token, timestamp, nonce]);
    return echostr;
  }
  requireSignature(query.msg_signature, [account.token, timestamp, nonce, echostr]);
  return decryptMessage(requireKey(account), echostr, account.receiveId);
}

/** Checks the signatures of a push and decrypts it when it is encrypted. */
export function openCallback(account: WechatAccount, query: CallbackQuery, body: string): OpenedCallback {
  const { timestamp, nonce } = query;
  // The Official Account signs every push in plain; WeCom only with msg_signature.
  if (account.channel === 'wechat') requireSignature(query.signature, [account.token, timestamp, nonce]);
  const encrypted = account.channel === 'wecom' || query.encrypt_type === 'aes';
  if (!encrypted) {
    if (account.aesKey !== undefined) throw new ChannelPayloadError('wechat_encryption_required', 'safe mode: unencrypted pushes are refused');
    return { xml: body, encrypted: false };
  }
  const key = requireKey(account);
  const envelope = parseWechatXml(body, envelopeSchema);
  requireSignature(query.msg_signature, [account.token, timestamp, nonce, envelope.Encrypt]);
  return { xml: decryptMessage(key, envelope.Encrypt, account.receiveId), encrypted: true };
}

/** The response body for a passive reply: as is, or encrypted and signed with a fresh timestamp and nonce. */
export function sealReply(account: WechatAccount, replyXml: string, encrypted: boolean, unixSeconds: number): string {
  if (!encrypted) return replyXml;
  const encrypt = encryptMessage(requireKey(account), replyXml, account.receiveId);
  const timestamp = String(unixSeconds);
  const nonce = String(randomInt(100_000_000, 2_000_000_000));
  return encryptedReplyXml(encrypt, signatureOf([account.token, timestamp, nonce, encrypt]), timestamp, nonce);
}

function requireSignature(given: string | undefined, parts: string[]): void {
  if (given === undefined || !signatureMatches(given, parts)) throw new ChannelSignatureError('WeChat signature invalid');
}

function requireKey(account: WechatAccount): Buffer {
  if (account.aesKey === undefined) throw new ChannelPayloadError('wechat_encryption_not_configured', 'encrypted push, but no EncodingAESKey is set');
  return account.aesKey;
}
