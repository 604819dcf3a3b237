import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerTranscript, pause } from '../support/channel-test-helpers.js';
import { scriptedModel, startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai/index.js';
import { push, startFakeWechatApi, textXml, type FakeWechatApi, type PushAccount } from '../support/fake-wechat-api/index.js';
import { startTestService, type TestService } from '../support/test-service.js';

// Plain mode (no EncodingAESKey), and a passive-reply budget of 0 ms: every answer is "late".
const oa: PushAccount = { path: '/channels/wechat', kind: 'wechat', token: 'plainModeToken42', receiveId: 'wx00000000000000a1' };

let fake: FakeWechatApi;
let service: TestService;

beforeAll(async () => {
  fake = await startFakeWechatApi({ appId: oa.receiveId, appSecret: 'plain-secret' });
  service = await startTestService({
    WECHAT_TOKEN: oa.token, WECHAT_APP_ID: oa.receiveId, WECHAT_APP_SECRET: 'plain-secret', WECHAT_API_BASE_URL: fake.url,
    WECHAT_PASSIVE_REPLY_BUDGET_MS: '0',
  });
});
afterAll(async () => {
  await service?.destroy();
  await fake?.close();
});

describe('an answer later than the passive-reply budget', () => {
  it('acknowledges with success at once and sends the answer through message/custom/send, once', async () => {
    const openid = 'o-late-answer-1';
    const question = '怎么开发票';
    const inner = textXml({ from: openid, content: question, msgId: '6100000000000000001' });
    const first = await push(service.url, oa, inner);
    expect(first).toMatchObject({ status: 200, body: 'success' });
    const [answer] = await fake.waitForSent((sent) => sent.touser === openid);
    expect(answer).toMatchObject({ api: 'custom/send' });
    expect(answer?.content).toMatch(/发票/);

    // WeChat's retries, and the same push after a restart, are answered with success and nothing else.
    expect((await push(service.url, oa, inner)).body).toBe('success');
    service = await service.restart();
    expect((await push(service.url, oa, inner)).body).toBe('success');
    await pause(2000);
    expect(fake.sent.filter((sent) => sent.touser === openid)).toHaveLength(1);
    const transcript = await customerTranscript(service.dataDir, 'wechat', openid);
    expect(transcript.filter((message) => message.role === 'customer')).toHaveLength(1);
    // The greeting of the new conversation is stored, but the customer is sent only the answer.
    expect(transcript.map((message) => message.role)).toEqual(['bot', 'customer', 'bot']);
  });

  it('answers the same MsgId once when the retries race in parallel', async () => {
    const openid = 'o-late-answer-2';
    const inner = textXml({ from: openid, content: '会员积分怎么用', msgId: '6100000000000000002' });
    const results = await Promise.all([1, 2, 3].map(() => push(service.url, oa, inner)));
    expect(results.map((result) => result.body)).toEqual(['success', 'success', 'success']);
    await fake.waitForSent((sent) => sent.touser === openid);
    await pause(2000);
    expect(fake.sent.filter((sent) => sent.touser === openid)).toHaveLength(1);
    const transcript = await customerTranscript(service.dataDir, 'wechat', openid);
    expect(transcript.filter((message) => message.role === 'customer')).toHaveLength(1);
  });

  it('refuses a push signed with another token', async () => {
    expect((await push(service.url, { ...oa, token: 'someone-elses' }, textXml({ from: 'o-x', content: 'hi', msgId: '1' }))).status).toBe(401);
  });
});

describe('a model answer slower than the passive-reply budget', () => {
  // Safe mode, a 400 ms budget, and a model that takes 700 ms per call: the turn really is late.
  const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
  const safe: PushAccount = { path: '/channels/wechat', kind: 'wechat', token: 'slowModelToken', receiveId: 'wx00000000000slow1', encodingAesKey: KEY };
  const modelAnswer = '质量问题退货的来回运费由我们承担；七天无理由退货的寄回运费由您承担。';
  let model: FakeOpenAi;
  let wechat: FakeWechatApi;
  let slow: TestService;

  const modelReply = scriptedModel((ids) => ({ json: { covered: true, answer: modelAnswer, citations: ids.slice(0, 1) } }));

  beforeAll(async () => {
    model = await startFakeOpenAi();
    model.respondWith(modelReply);
    model.slow({ firstTokenMs: 700 });
    wechat = await startFakeWechatApi({ appId: safe.receiveId, appSecret: 'slow-secret' });
    slow = await startTestService({
      WECHAT_TOKEN: safe.token, WECHAT_APP_ID: safe.receiveId, WECHAT_APP_SECRET: 'slow-secret', WECHAT_ENCODING_AES_KEY: KEY, WECHAT_API_BASE_URL: wechat.url,
      WECHAT_PASSIVE_REPLY_BUDGET_MS: '400',
      OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'test-key', LLM_TIMEOUT_MS: '20000', LLM_MAX_RETRIES: '0', LLM_BREAKER_FAILURES: '100',
    });
  });
  afterAll(async () => {
    await slow?.destroy();
    await wechat?.close();
    await model?.close();
  });

  it('acknowledges with success within the budget, then sends the model answer through the API', async () => {
    const openid = 'o-slow-model-1';
    const started = Date.now();
    const first = await push(slow.url, safe, textXml({ from: openid, content: '退货的运费谁出', msgId: '6300000000000000001' }));
    const elapsed = Date.now() - started;
    // Unencrypted `success`, well inside WeChat's 5 s, although the model was still writing.
    expect(first).toMatchObject({ status: 200, body: 'success' });
    expect(elapsed).toBeLessThan(1500);
    expect(wechat.sent.filter((sent) => sent.touser === openid)).toEqual([]);

    const [answer] = await wechat.waitForSent((sent) => sent.touser === openid, 1, 15_000);
    expect(answer).toMatchObject({ api: 'custom/send', content: modelAnswer });
    expect(model.chatRequests().some((request) => request.body.response_format?.json_schema?.name === 'grounded_answer')).toBe(true);
    await pause(2000);
    expect(wechat.sent.filter((sent) => sent.touser === openid)).toHaveLength(1);
    expect((await customerTranscript(slow.dataDir, 'wechat', openid)).filter((message) => message.role === 'bot').at(-1)?.text).toBe(modelAnswer);
  });
});
