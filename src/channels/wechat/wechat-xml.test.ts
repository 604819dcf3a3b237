import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { encryptedReplyXml, envelopeSchema, inboundMessageSchema, parseWechatXml, textReplyXml } from './wechat-xml.js';

const vectors = JSON.parse(readFileSync(new URL('./__fixtures__/wechat-test-vectors.json', import.meta.url), 'utf8')).vectors as any[];

describe('parseWechatXml', () => {
  it('reads the official samples, keeping a 64-bit MsgId exact', () => {
    const mp = vectors.find((vector) => vector.id === 'tencent-mp-sample-2014');
    expect(parseWechatXml(mp.derived.plaintext, inboundMessageSchema)).toEqual({
      ToUserName: 'gh_10f6c3c3ac5a',
      FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      CreateTime: '1409735668',
      MsgType: 'text',
      Content: 'abcdteT',
      MsgId: '6054768590064713728',
    });
    expect(parseWechatXml(mp.postBody, envelopeSchema).Encrypt).toBe(mp.encrypt);
    const wecom = vectors.find((vector) => vector.id === 'tencent-wecom-sample');
    expect(parseWechatXml(wecom.decryptMsg.derived.plaintext, inboundMessageSchema)).toMatchObject({ Content: '你好', AgentID: '1000002', FromUserName: 'ChenJiaShun' });
    expect(parseWechatXml(wecom.decryptMsg.postBody, envelopeSchema).Encrypt).toBe(wecom.decryptMsg.encrypt);
  });

  it('keeps the text of a subscribe event and of other message types', () => {
    const event = parseWechatXml('<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_1</EventKey></xml>', inboundMessageSchema);
    expect(event).toMatchObject({ Event: 'subscribe', EventKey: 'qrscene_1' });
    const image = parseWechatXml('<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime><MsgType>image</MsgType><PicUrl>http://x/y.jpg</PicUrl><MsgId>7</MsgId></xml>', inboundMessageSchema);
    expect(image).toEqual({ ToUserName: 'gh', FromUserName: 'o1', CreateTime: '1', MsgType: 'image', MsgId: '7' });
  });

  it.each([
    ['not XML', 'hello'],
    ['unclosed', '<xml><Content>hi</xml>'],
    ['a DOCTYPE with entities', '<!DOCTYPE xml [<!ENTITY big "aaaa">]><xml><Content>&big;</Content></xml>'],
    ['no fields', '<xml></xml>'],
    ['a field twice', '<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><FromUserName>c</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>'],
    ['a nested field', '<xml><ToUserName>a</ToUserName><FromUserName><x>b</x></FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>'],
    ['a non-numeric CreateTime', '<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType></xml>'],
  ])('refuses %s with a 400', (_name, xml) => {
    expect(() => parseWechatXml(xml, inboundMessageSchema)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('replies', () => {
  const parser = new XMLParser({ parseTagValue: false });

  it('swaps From and To and survives a CDATA terminator and control characters in the text', () => {
    const xml = textReplyXml({ ToUserName: 'gh_1', FromUserName: 'o_1' }, 'a ]]> b <c> & 你好\u0000\u0007', 1_700_000_000);
    expect(parser.parse(xml).xml).toEqual({ ToUserName: 'o_1', FromUserName: 'gh_1', CreateTime: '1700000000', MsgType: 'text', Content: 'a ]]> b <c> & 你好' });
  });

  it('builds the safe-mode envelope like the wechatpy vector', () => {
    const { encryptMsg } = vectors.find((vector) => vector.id === 'wechatpy-work-crypto');
    const xml = encryptedReplyXml(encryptMsg.expectedEncrypt, encryptMsg.expectedMsgSignature, encryptMsg.timestamp, encryptMsg.nonce);
    expect(xml).toBe(encryptMsg.expectedXml.replaceAll('\n', ''));
  });
});
