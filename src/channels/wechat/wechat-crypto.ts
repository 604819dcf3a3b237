/**
 * WeChat and WeCom callback cryptography, pure functions over `node:crypto`:
 * - signatures: hex SHA-1 of the lexicographically sorted token, timestamp, nonce (and the
 *   `Encrypt` text in safe mode), joined with no separator;
 * - messages: AES-256-CBC with key = base64(EncodingAESKey + "="), IV = key[0..16), over
 *   random(16) ‖ uint32_be(len) ‖ message ‖ receiveId, PKCS#7-padded to 32-byte blocks.
 *
 * Node's own PKCS#7 handling assumes 16-byte blocks and throws on pad bytes above 16, so
 * padding is done by hand (`setAutoPadding(false)`).
 *
 * @example
 * const key = aesKeyFrom(config.WECOM_ENCODING_AES_KEY);
 * const xml = decryptMessage(key, encrypt, corpId);
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ChannelPayloadError } from '../channel-errors.js';

const BLOCK = 32;
const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The signature WeChat computes over `parts` (token, timestamp, nonce[, encrypt]). */
export function signatureOf(parts: readonly string[]): string {
  return createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
}

/** Whether `given` is the signature of `parts`, compared in constant time. */
export function signatureMatches(given: string, parts: readonly string[]): boolean {
  const expected = Buffer.from(signatureOf(parts), 'utf8');
  const actual = Buffer.from(given.toLowerCase(), 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The 32-byte AES key of a 43-character EncodingAESKey; throws on any other input. */
export function aesKeyFrom(encodingAesKey: string): Buffer {
  if (!ENCODING_AES_KEY.test(encodingAesKey)) throw new Error('EncodingAESKey must be 43 letters and digits');
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/**
 * Decrypts an `Encrypt` value (or a WeCom `echostr`) and checks that it was meant for
 * `receiveId` (the AppID or CorpID). Throws `ChannelPayloadError` on anything malformed.
 */
export function decryptMessage(key: Buffer, encrypted: string, receiveId: string): string {
  if (!BASE64.test(encrypted)) throw invalid('wechat_decrypt_failed', 'ciphertext is not base64');
  const ciphertext = Buffer.from(encrypted, 'base64');
  if (ciphertext.length < BLOCK || ciphertext.length % 16 !== 0) throw invalid('wechat_decrypt_failed', 'ciphertext length');
  let padded: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    decipher.setAutoPadding(false);
    padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (error) {
    throw invalid('wechat_decrypt_failed', 'cannot decrypt', error);
  }
  const plain = unpad(padded);
  if (plain.length < 20) throw invalid('wechat_decrypt_failed', 'plaintext too short');
  const length = plain.readUInt32BE(16);
  if (20 + length > plain.length) throw invalid('wechat_decrypt_failed', 'message length out of range');
  const message = plain.subarray(20, 20 + length);
  const actualReceiveId = plain.subarray(20 + length);
  const expected = Buffer.from(receiveId, 'utf8');
  if (actualReceiveId.length !== expected.length || !timingSafeEqual(actualReceiveId, expected)) {
    throw invalid('wechat_receive_id_mismatch', 'message is for another AppID/CorpID');
  }
  return message.toString('utf8');
}

/** Encrypts `message` for `receiveId`; `random16` is fixed only by tests (the test vector). */
export function encryptMessage(key: Buffer, message: string, receiveId: string, random16: Buffer = randomBytes(16)): string {
  if (random16.length !== 16) throw new Error('random prefix must be 16 bytes');
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = pad(Buffer.concat([random16, length, body, Buffer.from(receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}

function pad(data: Buffer): Buffer {
  const amount = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(amount, amount)]);
}

function unpad(data: Buffer): Buffer {
  const amount = data[data.length - 1] ?? 0;
  if (amount < 1 || amount > BLOCK || amount > data.length) throw invalid('wechat_decrypt_failed', 'bad padding');
  return data.subarray(0, data.length - amount);
}

function invalid(code: string, message: string, cause?: unknown): ChannelPayloadError {
  return new ChannelPayloadError(code, `WeChat message: ${message}`, cause === undefined ? undefined : { cause });
}
