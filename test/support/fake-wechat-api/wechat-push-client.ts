/**
 * Plays WeChat's side of the callback protocol against a running service: signs (and in safe
 * mode encrypts) pushes the way WeChat does, and opens the passive reply.
 */
import { randomInt } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { aesKeyFrom, decryptMessage, encryptMessage, signatureMatches, signatureOf } from '../../../src/channels/wechat/wechat-crypto.js';

export interface PushAccount {
  /** `/channels/wechat` or `/channels/wecom`. */
  path: string;
  token: string;
  /** AppID or CorpID. */
  receiveId: string;
  /** Absent: plain mode. */
  encodingAesKey?: string;
  /** Official Account (plain signature on every push) or WeCom (msg_signature only). */
  kind: 'wechat' | 'wecom';
}

export interface PushResult {
  status: number;
  /** The raw body. */
  body: string;
  /** The reply's inner XML fields, decrypted and verified when encrypted; undefined for `success` or errors. */
  reply?: Record<string, string>;
}

const parser = new XMLParser({ parseTagValue: false });

/** The inner XML of a text message from `openid`. */
export function textXml(input: { from: string; to?: string; content: string; msgId: string; createTime?: number; agentId?: string }): string {
  return (
    `<xml><ToUserName><![CDATA[${input.to ?? 'gh_test'}]]></ToUserName><FromUserName><![CDATA[${input.from}]]></FromUserName>` +
    `<CreateTime>${input.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content>${cdata(input.content)}</Content><MsgId>${input.msgId}</MsgId>${input.agentId ? `<AgentID>${input.agentId}</AgentID>` : ''}</xml>`
  );
}

/** CDATA as WeChat writes it: a `]]>` in the text is split across two sections. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** The inner XML of an event (subscribe, CLICK…) or another message type, with extra fields. */
export function messageXml(from: string, msgType: string, fields: Record<string, string>, createTime = Math.floor(Date.now() / 1000)): string {
  const extra = Object.entries(fields).map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`).join('');
  return `<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[${msgType}]]></MsgType>${extra}</xml>`;
}

/** The signed query (and body) of a push of `innerXml`, as WeChat would send it. */
export function signedPush(account: PushAccount, innerXml: string, openid = 'unknown'): { query: URLSearchParams; body: string } {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomInt(1e8, 2e9));
  const query = new URLSearchParams({ timestamp, nonce });
  if (account.kind === 'wechat') {
    query.set('signature', signatureOf([account.token, timestamp, nonce]));
    query.set('openid', openid);
  }
  if (account.encodingAesKey === undefined) return { query, body: innerXml };
  const encrypt = encryptMessage(aesKeyFrom(account.encodingAesKey), innerXml, account.receiveId);
  if (account.kind === 'wechat') query.set('encrypt_type', 'aes');
  query.set('msg_signature', signatureOf([account.token, timestamp, nonce, encrypt]));
  return { query, body: `<xml><ToUserName><![CDATA[${account.receiveId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` };
}

/** Posts `innerXml` to the service and opens the reply. */
export async function push(baseUrl: string, account: PushAccount, innerXml: string): Promise<PushResult> {
  const { query, body } = signedPush(account, innerXml);
  const response = await fetch(`${baseUrl}${account.path}?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  const text = await response.text();
  return { status: response.status, body: text, ...(text.startsWith('<xml>') ? { reply: openReply(account, text) } : {}) };
}

/** The fields of a passive reply; an encrypted one must carry a valid signature and our receive id. */
export function openReply(account: PushAccount, xml: string): Record<string, string> {
  const outer = parser.parse(xml).xml as Record<string, string>;
  if (outer.Encrypt === undefined) return outer;
  if (!signatureMatches(outer.MsgSignature ?? '', [account.token, String(outer.TimeStamp), String(outer.Nonce), outer.Encrypt])) {
    throw new Error('reply signature invalid');
  }
  const inner = decryptMessage(aesKeyFrom(account.encodingAesKey ?? ''), outer.Encrypt, account.receiveId);
  return parser.parse(inner).xml as Record<string, string>;
}
