/**
 * WeChat's XML, in and out. Inbound XML is checked for well-formedness, parsed with
 * fast-xml-parser (every value kept a string: a 64-bit MsgId does not fit a JS number) and
 * validated with zod, reading only the fields this adapter uses. Replies are built from
 * templates with every text in CDATA.
 *
 * @module
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { ChannelPayloadError } from '../channel-errors.js';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const text = (max: number) => z.string().max(max);
const digits = (max: number) => z.string().regex(new RegExp(`^\\d{1,${max}}$`));

/** The encrypted envelope of safe mode (and WeCom): `Encrypt` is what `msg_signature` covers. */
export const envelopeSchema = z.object({
  ToUserName: text(128).optional(),
  Encrypt: z.string().min(1).max(60_000),
});

/** A decrypted or plain inbound message; fields of other types (PicUrl, MediaId…) are ignored. */
export const inboundMessageSchema = z.object({
  ToUserName: text(128).min(1),
  FromUserName: text(128).min(1),
  CreateTime: digits(12),
  MsgType: text(32).min(1),
  Content: text(20_000).optional(),
  MsgId: digits(24).optional(),
  Event: text(64).optional(),
  EventKey: text(512).optional(),
  /** Speech-to-text of a voice message, when the account turned it on. */
  Recognition: text(20_000).optional(),
  AgentID: digits(12).optional(),
});

export type WechatEnvelope = z.output<typeof envelopeSchema>;
export type WechatInbound = z.output<typeof inboundMessageSchema>;

/** Parses `<xml>…</xml>` into the fields of `schema`; throws `ChannelPayloadError` (400) otherwise. */
export function parseWechatXml<T>(xml: string, schema: z.ZodType<T>): T {
  // A DOCTYPE can declare entities that expand; WeChat never sends one.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new ChannelPayloadError('wechat_xml_invalid', 'XML with a DOCTYPE is not accepted');
  if (XMLValidator.validate(xml) !== true) throw new ChannelPayloadError('wechat_xml_invalid', 'body is not well-formed XML');
  const root: unknown = (parser.parse(xml) as { xml?: unknown }).xml;
  const result = schema.safeParse(root);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
    throw new ChannelPayloadError('wechat_message_invalid', `WeChat message fields invalid: ${fields}`, { cause: result.error });
  }
  return result.data;
}

/** A passive text reply to `inbound`, From and To swapped. */
export function textReplyXml(inbound: Pick<WechatInbound, 'ToUserName' | 'FromUserName'>, content: string, unixSeconds: number): string {
  return (
    `<xml><ToUserName>${cdata(inbound.FromUserName)}</ToUserName><FromUserName>${cdata(inbound.ToUserName)}</FromUserName>` +
    `<CreateTime>${unixSeconds}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(content)}</Content></xml>`
  );
}

/** The safe-mode reply envelope around an encrypted reply. */
export function encryptedReplyXml(encrypt: string, signature: string, timestamp: string, nonce: string): string {
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>`
  );
}

/**
 * Wraps text in CDATA; a `]]>` inside is split across two sections so it cannot end the first,
 * and control characters XML 1.0 forbids are dropped.
 */
function cdata(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
  return `<![CDATA[${clean.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}
