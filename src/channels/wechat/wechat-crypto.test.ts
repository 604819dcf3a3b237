import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aesKeyFrom, decryptMessage, encryptMessage, signatureMatches, signatureOf } from './wechat-crypto.js';

// Tencent's and wechatpy's published vectors (sources in the file), copied from the protocol spec.
const vectors = JSON.parse(readFileSync(new URL('./__fixtures__/wechat-test-vectors.json', import.meta.url), 'utf8')).vectors as any[];
const byId = (id: string) => vectors.find((vector) => vector.id === id);

describe('WeChat signatures', () => {
  it('matches the wechatpy plain signature and rejects its negative', () => {
    const vector = byId('plain-signature-wechatpy');
    const parts = [vector.token, vector.timestamp, vector.nonce];
    expect(signatureOf(parts)).toBe(vector.signature);
    expect(signatureMatches(vector.signature, parts)).toBe(true);
    expect(signatureMatches(vector.signature.toUpperCase(), parts)).toBe(true);
    expect(signatureMatches(vector.negative.signature, parts)).toBe(false);
    expect(signatureMatches('', parts)).toBe(false);
  });

  it('matches the Official Account sample: msg_signature over Encrypt and the plain signature', () => {
    const vector = byId('tencent-mp-sample-2014');
    expect(signatureOf([vector.token, vector.timestamp, vector.nonce, vector.encrypt])).toBe(vector.msg_signature);
    expect(signatureOf([vector.token, vector.timestamp, vector.nonce])).toBe(vector.derived.plainSignatureForSameTokenTimestampNonce);
  });

  it('matches both WeCom samples, for the URL check and the message', () => {
    for (const vector of [byId('tencent-wecom-sample'), byId('wechatpy-work-crypto')]) {
      const { verifyUrl, decryptMsg } = vector;
      expect(signatureMatches(verifyUrl.msg_signature, [vector.token, verifyUrl.timestamp, verifyUrl.nonce, verifyUrl.echostr])).toBe(true);
      expect(signatureOf([vector.token, decryptMsg.timestamp, decryptMsg.nonce, decryptMsg.encrypt])).toBe(decryptMsg.msg_signature);
    }
    const wechatpy = byId('wechatpy-work-crypto');
    const { verifyUrl } = wechatpy;
    expect(signatureMatches(verifyUrl.msg_signature, [wechatpy.token, verifyUrl.timestamp, verifyUrl.negativeNonce, verifyUrl.echostr])).toBe(false);
  });
});

describe('WeChat AES messages', () => {
  it('decrypts the Official Account sample and re-encrypts it byte for byte', () => {
    const vector = byId('tencent-mp-sample-2014');
    const key = aesKeyFrom(vector.encodingAESKey);
    expect(decryptMessage(key, vector.encrypt, vector.appId)).toBe(vector.derived.plaintext);
    // Tencent's random prefix is 16 ASCII characters.
    const random = Buffer.from(vector.derived.random16, 'utf8');
    expect(random).toHaveLength(16);
    expect(encryptMessage(key, vector.derived.plaintext, vector.appId, random)).toBe(vector.encrypt);
  });

  it('decrypts both WeCom echostrs and messages, including a pad byte above 16', () => {
    for (const vector of [byId('tencent-wecom-sample'), byId('wechatpy-work-crypto')]) {
      const key = aesKeyFrom(vector.encodingAESKey);
      expect(decryptMessage(key, vector.verifyUrl.echostr, vector.receiveId)).toBe(vector.verifyUrl.derived.plaintext);
      expect(decryptMessage(key, vector.decryptMsg.encrypt, vector.receiveId)).toBe(vector.decryptMsg.derived.plaintext);
      for (const sample of [vector.verifyUrl, vector.decryptMsg]) {
        const random = Buffer.from(sample.derived.random16, 'utf8');
        const encrypted = encryptMessage(key, sample.derived.plaintext, vector.receiveId, random);
        expect(encrypted).toBe(sample.echostr ?? sample.encrypt);
      }
    }
    expect(byId('tencent-wecom-sample').decryptMsg.derived.padByte).toBe(22);
  });

  it('reproduces the deterministic wechatpy encryption and its signature', () => {
    const vector = byId('wechatpy-work-crypto');
    const { encryptMsg } = vector;
    const key = aesKeyFrom(vector.encodingAESKey);
    const encrypted = encryptMessage(key, encryptMsg.plaintext, vector.receiveId, Buffer.from(encryptMsg.random16, 'utf8'));
    expect(encrypted).toBe(encryptMsg.expectedEncrypt);
    expect(signatureOf([vector.token, encryptMsg.timestamp, encryptMsg.nonce, encrypted])).toBe(encryptMsg.expectedMsgSignature);
    expect(decryptMessage(key, encrypted, vector.receiveId)).toBe(encryptMsg.plaintext);
  });

  it('round-trips Chinese text at every padding length', () => {
    const key = aesKeyFrom(byId('tencent-wecom-sample').encodingAESKey);
    for (let length = 0; length < 70; length += 1) {
      const text = '你'.repeat(length % 7) + 'x'.repeat(length);
      expect(decryptMessage(key, encryptMessage(key, text, 'ww-corp'), 'ww-corp')).toBe(text);
    }
  });

  it('refuses another receive id, tampering, bad base64 and short input with a 400', () => {
    const vector = byId('tencent-mp-sample-2014');
    const key = aesKeyFrom(vector.encodingAESKey);
    expect(() => decryptMessage(key, vector.encrypt, 'wx-someone-else')).toThrow(expect.objectContaining({ code: 'wechat_receive_id_mismatch', status: 400 }));
    const tampered = `${vector.encrypt.slice(0, -8)}AAAAAAA=`;
    for (const bad of [tampered, 'not base64!', '', 'AAAA', Buffer.alloc(48).toString('base64')]) {
      expect(() => decryptMessage(key, bad, vector.appId)).toThrow(expect.objectContaining({ status: 400 }));
    }
    const otherKey = aesKeyFrom(byId('wechatpy-work-crypto').encodingAESKey);
    expect(() => decryptMessage(otherKey, vector.encrypt, vector.appId)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('accepts only 43-character keys', () => {
    expect(aesKeyFrom('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')).toHaveLength(32);
    expect(() => aesKeyFrom('short')).toThrow();
    expect(() => aesKeyFrom('abcdefghijklmnopqrstuvwxyz0123456789ABCDEF+')).toThrow();
  });
});
