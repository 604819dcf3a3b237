import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WechatAccount } from './wechat-account.js';
import { callbackQuerySchema, openCallback, sealReply, verifyCallbackUrl } from './wechat-callback.js';
import { aesKeyFrom, decryptMessage, signatureMatches } from './wechat-crypto.js';
import { encryptedReplyXml } from './wechat-xml.js';

const vectors = JSON.parse(readFileSync(new URL('./__fixtures__/wechat-test-vectors.json', import.meta.url), 'utf8')).vectors as any[];
const mp = vectors.find((vector) => vector.id === 'tencent-mp-sample-2014');
const wecomSample = vectors.find((vector) => vector.id === 'tencent-wecom-sample');
const plain = vectors.find((vector) => vector.id === 'plain-signature-wechatpy');

const account = (overrides: Partial<WechatAccount>): WechatAccount => ({ channel: 'wechat', token: 't', receiveId: 'r', secret: 's', apiBaseUrl: 'http://127.0.0.1:9', ...overrides });
const oa = account({ token: mp.token, receiveId: mp.appId, aesKey: aesKeyFrom(mp.encodingAESKey) });
const wecom = account({ channel: 'wecom', token: wecomSample.token, receiveId: wecomSample.receiveId, aesKey: aesKeyFrom(wecomSample.encodingAESKey), agentId: 1000002 });
const query = (values: Record<string, string>) => callbackQuerySchema.parse(values);

describe('URL verification', () => {
  it('echoes echostr for the wechatpy plain signature, and refuses its negative', () => {
    const plainAccount = account({ token: plain.token });
    const base = { timestamp: plain.timestamp, nonce: plain.nonce, echostr: 'abc' };
    expect(verifyCallbackUrl(plainAccount, query({ ...base, signature: plain.signature }))).toBe('abc');
    expect(() => verifyCallbackUrl(plainAccount, query({ ...base, signature: plain.negative.signature }))).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('decrypts both WeCom echostrs with the CorpID', () => {
    for (const vector of [wecomSample, vectors.find((candidate) => candidate.id === 'wechatpy-work-crypto')]) {
      const { verifyUrl } = vector;
      const wecomAccount = account({ channel: 'wecom', token: vector.token, receiveId: vector.receiveId, aesKey: aesKeyFrom(vector.encodingAESKey) });
      const values = { msg_signature: verifyUrl.msg_signature, timestamp: verifyUrl.timestamp, nonce: verifyUrl.nonce, echostr: verifyUrl.echostr };
      expect(verifyCallbackUrl(wecomAccount, query(values))).toBe(verifyUrl.derived.plaintext);
      expect(() => verifyCallbackUrl({ ...wecomAccount, receiveId: 'ww-other' }, query(values))).toThrow(expect.objectContaining({ code: 'wechat_receive_id_mismatch' }));
    }
  });
});

describe('openCallback', () => {
  const mpQuery = { signature: mp.derived.plainSignatureForSameTokenTimestampNonce, timestamp: mp.timestamp, nonce: mp.nonce, encrypt_type: 'aes', msg_signature: mp.msg_signature };

  it('verifies and decrypts the Official Account sample', () => {
    expect(openCallback(oa, query(mpQuery), mp.postBody)).toEqual({ xml: mp.derived.plaintext, encrypted: true });
  });

  it('needs both the plain signature and msg_signature of an Official Account', () => {
    expect(() => openCallback(oa, query({ ...mpQuery, signature: '0'.repeat(40) }), mp.postBody)).toThrow(expect.objectContaining({ status: 401 }));
    expect(() => openCallback(oa, query({ ...mpQuery, msg_signature: '0'.repeat(40) }), mp.postBody)).toThrow(expect.objectContaining({ status: 401 }));
    const { msg_signature: _dropped, ...withoutMsgSignature } = mpQuery;
    expect(() => openCallback(oa, query(withoutMsgSignature), mp.postBody)).toThrow(expect.objectContaining({ status: 401 }));
  });

  it('refuses unencrypted pushes when a key is set, and encrypted ones when none is', () => {
    const { encrypt_type: _aes, msg_signature: _signature, ...plainQuery } = mpQuery;
    expect(() => openCallback(oa, query(plainQuery), mp.derived.plaintext)).toThrow(expect.objectContaining({ code: 'wechat_encryption_required' }));
    const { aesKey: _key, ...plainAccount } = oa;
    expect(openCallback(plainAccount, query(plainQuery), 'x')).toEqual({ xml: 'x', encrypted: false });
    expect(() => openCallback(plainAccount, query(mpQuery), mp.postBody)).toThrow(expect.objectContaining({ code: 'wechat_encryption_not_configured' }));
  });

  it('verifies and decrypts the WeCom sample with msg_signature only', () => {
    const { decryptMsg } = wecomSample;
    const opened = openCallback(wecom, query({ msg_signature: decryptMsg.msg_signature, timestamp: decryptMsg.timestamp, nonce: decryptMsg.nonce }), decryptMsg.postBody);
    expect(opened).toEqual({ xml: decryptMsg.derived.plaintext, encrypted: true });
  });
});

describe('sealReply', () => {
  it('returns plain replies as they are and encrypts and signs the others for the receive id', () => {
    expect(sealReply(oa, '<xml/>', false, 1)).toBe('<xml/>');
    const sealed = sealReply(wecom, '<xml><Content>好</Content></xml>', true, 1_700_000_000);
    const [, encrypt, signature, timestamp, nonce] = /<Encrypt><!\[CDATA\[(.+)\]\]><\/Encrypt><MsgSignature><!\[CDATA\[(.+)\]\]><\/MsgSignature><TimeStamp>(\d+)<\/TimeStamp><Nonce><!\[CDATA\[(\d+)\]\]><\/Nonce>/.exec(sealed) ?? [];
    expect(timestamp).toBe('1700000000');
    expect(signatureMatches(signature ?? '', [wecom.token, timestamp ?? '', nonce ?? '', encrypt ?? ''])).toBe(true);
    expect(decryptMessage(wecom.aesKey as Buffer, encrypt ?? '', wecom.receiveId)).toBe('<xml><Content>好</Content></xml>');
    expect(sealed).toBe(encryptedReplyXml(encrypt ?? '', signature ?? '', timestamp ?? '', nonce ?? ''));
  });
});
