import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aesKeyFrom, encryptMessage, signatureOf } from '../../src/channels/wechat/wechat-crypto.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { seededRandom } from '../support/channel-test-helpers.js';
import { signedPush, startFakeWechatApi, textXml, type FakeWechatApi, type PushAccount } from '../support/fake-wechat-api/index.js';
import { startTestService, type TestService } from '../support/test-service.js';

// Change the seed to explore; a failure message names the seed and case so it can be replayed.
const SEED = 20_260_701;
const CASES = 200;
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const WECOM_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const oa: PushAccount = { path: '/channels/wechat', kind: 'wechat', token: 'fuzzToken2026', receiveId: 'wx0000000000f0zz01', encodingAesKey: KEY };
const wecom: PushAccount = { path: '/channels/wecom', kind: 'wecom', token: 'fuzzWecomToken', receiveId: 'ww0000000000f0zz02', encodingAesKey: WECOM_KEY };
const ALLOWED = new Set([200, 400, 401, 404, 413, 415]);

let fake: FakeWechatApi;
let service: TestService;

beforeAll(async () => {
  fake = await startFakeWechatApi({ appId: oa.receiveId, appSecret: 's', corpId: wecom.receiveId, corpSecret: 's' });
  service = await startTestService({
    WECHAT_TOKEN: oa.token, WECHAT_APP_ID: oa.receiveId, WECHAT_APP_SECRET: 's', WECHAT_ENCODING_AES_KEY: KEY, WECHAT_API_BASE_URL: fake.url,
    WECOM_TOKEN: wecom.token, WECOM_CORP_ID: wecom.receiveId, WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's', WECOM_ENCODING_AES_KEY: WECOM_KEY, WECOM_API_BASE_URL: fake.url,
  });
});
afterAll(async () => {
  await service?.destroy();
  await fake?.close();
});

/** One generated request; `valid` names the MsgId when it is a well-formed text push. */
interface FuzzCase {
  kind: string;
  method: 'GET' | 'POST';
  query: string;
  body?: string | Buffer;
  contentType?: string;
  valid?: { msgId: string; content: string };
}

function generator(account: PushAccount, seed: number) {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const pool = ['a', 'Z', '0', ' ', '你', '好', '退', '货', '😀', '<', '>', '&', '"', "'", ']]>', '<![CDATA[', '\u0000', '\u0007', '\n', '\t', '\uFFFE', '\\', '%', '=', '+', '/'];
  const text = (max: number) => Array.from({ length: int(max) }, () => pick(pool)).join('');
  // What WeChat can really send: no characters XML forbids.
  const printable = pool.filter((char) => char.charCodeAt(0) > 8 && char !== '\uFFFE');
  const printableText = (max: number) => Array.from({ length: int(max) }, () => pick(printable)).join('');
  const bytes = (max: number) => Buffer.from(Array.from({ length: int(max) }, () => int(256)));
  const sent = new Map<string, string>();
  const field = () => pick(['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId', 'Event', 'AgentID', 'Encrypt']);
  const wrongTypes = () => {
    const parts = [`<ToUserName>${pick(['gh_x', '', '<a>b</a>'])}</ToUserName>`, `<FromUserName>${pick(['o-fuzz', '', '<x/>', 'o'.repeat(300)])}</FromUserName>`,
      `<CreateTime>${pick(['1700000000', 'soon', '-1', '9'.repeat(40), ''])}</CreateTime>`, `<MsgType>${pick(['text', 'image', 'event', '', '<t/>'])}</MsgType>`,
      `<MsgId>${pick(['1', 'abc', '9'.repeat(30), '<id/>'])}</MsgId>`, `<Content>${text(40)}</Content>`];
    return `<xml>${parts.filter(() => random() < 0.7).join('')}${random() < 0.3 ? `<${field()}>dup</${field()}>` : ''}</xml>`;
  };
  const signed = (inner: string) => signedPush(account, inner);

  return (index: number): FuzzCase => {
    const kind = pick(['bytes', 'bad-xml', 'wrong-types', 'huge', 'content-type', 'query', 'envelope', 'valid', 'valid', 'event', 'get']);
    const push = (inner: string, extra: Partial<FuzzCase> = {}): FuzzCase => {
      const { query, body } = signed(inner);
      return { kind, method: 'POST', query: query.toString(), body, contentType: 'text/xml', ...extra };
    };
    switch (kind) {
      case 'bytes':
        return { ...push(''), body: bytes(3000), contentType: pick(['text/xml', 'application/xml', 'text/plain', 'text/xml; charset=gbk']) };
      case 'bad-xml':
        return random() < 0.5 ? push(pick(['<xml>', '<xml><a></b></xml>', '<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>', 'success', text(200), '<xml><Content><![CDATA[x</Content></xml>'])) : { ...push(''), body: pick(['<xml><Encrypt>', '<xml/>', text(100)]) };
      case 'wrong-types':
        return push(wrongTypes());
      case 'huge':
        return push(textXml({ from: 'o-huge', content: '长'.repeat(30_000 + int(30_000)), msgId: `77${index}` }));
      case 'content-type':
        return { ...push(textXml({ from: 'o-ct', content: 'hi', msgId: `78${index}` })), contentType: pick(['application/json', 'application/octet-stream', 'multipart/form-data', '']) };
      case 'query': {
        const { query, body } = signed(textXml({ from: 'o-query', content: 'hi', msgId: `79${index}` }));
        const name = pick(['signature', 'msg_signature', 'timestamp', 'nonce', 'encrypt_type', 'openid']);
        const mutation = pick(['delete', 'garble', 'repeat', 'long']);
        if (mutation === 'delete') query.delete(name);
        if (mutation === 'garble') query.set(name, text(20));
        if (mutation === 'repeat') query.append(name, 'again');
        if (mutation === 'long') query.set(name, 'x'.repeat(5000));
        return { kind, method: 'POST', query: query.toString(), body, contentType: 'text/xml' };
      }
      case 'envelope': {
        const timestamp = '1700000000';
        const nonce = '42';
        const encrypt = random() < 0.5 ? bytes(200).toString('base64') : encryptMessage(aesKeyFrom(account.encodingAesKey ?? ''), textXml({ from: 'o-env', content: 'x', msgId: '1' }), 'wx-not-us');
        const query = new URLSearchParams({ timestamp, nonce, msg_signature: signatureOf([account.token, timestamp, nonce, encrypt]), encrypt_type: 'aes', signature: signatureOf([account.token, timestamp, nonce]) });
        return { kind, method: 'POST', query: query.toString(), body: `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`, contentType: 'text/xml' };
      }
      case 'valid': {
        // A small pool of MsgIds, so retries of the same message happen along the way.
        const msgId = String(9_100_000_000 + int(25));
        const content = sent.get(msgId) ?? `fuzz-${msgId} ${printableText(30)}`;
        sent.set(msgId, content);
        return { ...push(textXml({ from: `o-fuzz-${int(5)}`, content, msgId, ...(account.kind === 'wecom' ? { agentId: '1000002' } : {}) })), valid: { msgId, content } };
      }
      case 'event':
        return push(`<xml><ToUserName>gh</ToUserName><FromUserName>o-event-${int(3)}</FromUserName><CreateTime>${1_700_000_000 + int(5)}</CreateTime><MsgType>event</MsgType><Event>${pick(['subscribe', 'unsubscribe', 'CLICK', 'SCAN', text(10)])}</Event></xml>`);
      default: {
        const query = new URLSearchParams({ timestamp: pick(['1', 'x', '']), nonce: text(10), echostr: text(50), signature: text(40), msg_signature: text(40) });
        if (random() < 0.3) query.delete(pick(['timestamp', 'nonce', 'echostr']));
        return { kind, method: 'GET', query: query.toString() };
      }
    }
  };
}

async function run(account: PushAccount, seed: number): Promise<FuzzCase[]> {
  const next = generator(account, seed);
  const cases: FuzzCase[] = [];
  const statuses = new Set<number>();
  for (let index = 0; index < CASES; index += 1) {
    const fuzz = next(index);
    cases.push(fuzz);
    const response = await fetch(`${service.url}${account.path}?${fuzz.query}`, {
      method: fuzz.method,
      ...(fuzz.body !== undefined ? { body: typeof fuzz.body === 'string' ? fuzz.body : new Uint8Array(fuzz.body) } : {}),
      ...(fuzz.contentType ? { headers: { 'content-type': fuzz.contentType } } : {}),
    });
    const body = await response.text();
    statuses.add(response.status);
    const where = `seed ${seed}, case ${index} (${fuzz.kind}): ${response.status} ${body.slice(0, 200)}`;
    expect(ALLOWED.has(response.status), where).toBe(true);
    if (response.status === 200 && fuzz.method === 'POST') expect(body === 'success' || body.startsWith('<xml><Encrypt>'), where).toBe(true);
    if (fuzz.valid) expect(response.status, where).toBe(200);
  }
  // The cases reach every layer: signature, body size, XML, fields, and the engine.
  expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 401, 413]));
  return cases;
}

async function expectStoredOnce(cases: FuzzCase[]): Promise<void> {
  const { store, db } = openSqliteStore(path.join(service.dataDir, 'kefu.sqlite'));
  try {
    const contents = new Set(cases.flatMap((fuzz) => (fuzz.valid ? [fuzz.valid.content] : [])));
    expect(contents.size).toBeGreaterThan(5);
    for (const content of contents) {
      const rows = await db.selectFrom('messages').select('id').where('role', '=', 'customer').where('text', '=', content.trim()).execute();
      expect(rows, content).toHaveLength(1);
    }
  } finally {
    await store.close();
  }
}

describe('malformed and random payloads', () => {
  it(`never crash the Official Account route (${CASES} seeded cases), and store each message once`, async () => {
    await expectStoredOnce(await run(oa, SEED));
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });

  it(`never crash the WeCom route (${CASES} seeded cases), and store each message once`, async () => {
    await expectStoredOnce(await run(wecom, SEED + 1));
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
