import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerTranscript } from '../support/channel-test-helpers.js';
import { startFakeQdrant, type FakeQdrant } from '../support/fake-qdrant/fake-qdrant-server.js';
import { push, startFakeWechatApi, textXml, type FakeWechatApi, type PushAccount } from '../support/fake-wechat-api/index.js';
import { startTestService, type TestService } from '../support/test-service.js';

// Plain mode; retrieval runs on a Qdrant stand-in that can be made to fail, so a turn throws
// after the engine stored the customer's message.
const oa: PushAccount = { path: '/channels/wechat', kind: 'wechat', token: 'retryModeToken42', receiveId: 'wx00000000000000b2' };

let fake: FakeWechatApi;
let qdrant: FakeQdrant;
let service: TestService;

beforeAll(async () => {
  fake = await startFakeWechatApi({ appId: oa.receiveId, appSecret: 'retry-secret' });
  qdrant = await startFakeQdrant();
  service = await startTestService({
    WECHAT_TOKEN: oa.token, WECHAT_APP_ID: oa.receiveId, WECHAT_APP_SECRET: 'retry-secret', WECHAT_API_BASE_URL: fake.url,
    WECHAT_PASSIVE_REPLY_BUDGET_MS: '4000',
    QDRANT_URL: qdrant.url, QDRANT_COLLECTION_PREFIX: 'e2e_wechat_retry',
  });
});
afterAll(async () => {
  await service?.destroy();
  await qdrant?.close();
  await fake?.close();
});

describe('a WeChat push whose turn fails', () => {
  it('answers the retry of the same MsgId, with the customer message stored once', async () => {
    const openid = 'o-turn-failure-1';
    const question = '退款多久能到账';
    const inner = textXml({ from: openid, content: question, msgId: '6200000000000000001' });
    // Retrieval fails once: the engine has stored the question, then the turn throws.
    const queries = qdrant.requests.length;
    qdrant.failNext(500, 1, 'query_points');
    const failed = await push(service.url, oa, inner);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(qdrant.requests.slice(queries).map((request) => request.operationId)).toContain('query_points');
    expect((await customerTranscript(service.dataDir, 'wechat', openid)).filter((message) => message.role === 'customer')).toHaveLength(1);

    // WeChat's retry is handled again (not acknowledged with nothing), and repeats after it are.
    const retried = await push(service.url, oa, inner);
    expect(retried.status).toBe(200);
    expect(retried.reply).toMatchObject({ ToUserName: openid, MsgType: 'text' });
    expect(retried.reply?.Content).toMatch(/退款|到账|工作日/);
    expect((await push(service.url, oa, inner)).body).toBe('success');

    const transcript = await customerTranscript(service.dataDir, 'wechat', openid);
    expect(transcript.filter((message) => message.text === question)).toHaveLength(1);
    expect(transcript.map((message) => message.role)).toEqual(['bot', 'customer', 'bot']);
  });
});
