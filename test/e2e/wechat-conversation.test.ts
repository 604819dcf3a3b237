import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerTranscript, pause, waitingHandoffOf } from '../support/channel-test-helpers.js';
import { messageXml, push, startFakeWechatApi, textXml, type FakeWechatApi, type PushAccount } from '../support/fake-wechat-api/index.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

// The official samples' accounts, so their published pushes can be replayed over HTTP.
const vectors = JSON.parse(readFileSync(new URL('../../src/channels/wechat/__fixtures__/wechat-test-vectors.json', import.meta.url), 'utf8')).vectors as any[];
const mp = vectors.find((vector) => vector.id === 'tencent-mp-sample-2014');
const wecomSample = vectors.find((vector) => vector.id === 'tencent-wecom-sample');

const oa: PushAccount = { path: '/channels/wechat', kind: 'wechat', token: mp.token, receiveId: mp.appId, encodingAesKey: mp.encodingAESKey };
const wecom: PushAccount = { path: '/channels/wecom', kind: 'wecom', token: wecomSample.token, receiveId: wecomSample.receiveId, encodingAesKey: wecomSample.encodingAESKey };

let fake: FakeWechatApi;
let service: TestService;

beforeAll(async () => {
  fake = await startFakeWechatApi({ appId: mp.appId, appSecret: 'oa-secret', corpId: wecomSample.receiveId, corpSecret: 'wecom-secret' });
  service = await startTestService({
    WECHAT_TOKEN: oa.token, WECHAT_APP_ID: oa.receiveId, WECHAT_APP_SECRET: 'oa-secret', WECHAT_ENCODING_AES_KEY: mp.encodingAESKey, WECHAT_API_BASE_URL: fake.url,
    WECOM_TOKEN: wecom.token, WECOM_CORP_ID: wecom.receiveId, WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'wecom-secret', WECOM_ENCODING_AES_KEY: wecomSample.encodingAESKey, WECOM_API_BASE_URL: fake.url,
  });
});
afterAll(async () => {
  await service?.destroy();
  await fake?.close();
});

const get = (path: string, query: Record<string, string>) => fetch(`${service.url}${path}?${new URLSearchParams(query).toString()}`);

describe('server URL verification', () => {
  it('echoes echostr for a good Official Account signature and refuses a bad one', async () => {
    const query = { signature: mp.derived.plainSignatureForSameTokenTimestampNonce, timestamp: mp.timestamp, nonce: mp.nonce, echostr: 'echo-4711' };
    const good = await get('/channels/wechat', query);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('echo-4711');
    expect((await get('/channels/wechat', { ...query, nonce: '1' })).status).toBe(401);
    expect((await get('/channels/wechat', { ...query, signature: '' })).status).toBe(401);
    expect((await get('/channels/wechat', { timestamp: 'x', nonce: 'y' })).status).toBe(400);
  });

  it('decrypts the WeCom echostr of the official sample with the CorpID', async () => {
    const { verifyUrl } = wecomSample;
    const query = { msg_signature: verifyUrl.msg_signature, timestamp: verifyUrl.timestamp, nonce: verifyUrl.nonce, echostr: verifyUrl.echostr };
    const response = await get('/channels/wecom', query);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('1288432023552776189');
    expect((await get('/channels/wecom', { ...query, nonce: '47744684' })).status).toBe(401);
  });
});

describe('the official sample pushes over HTTP', () => {
  it('answers the Official Account sample (compatible mode) with an encrypted passive reply', async () => {
    const query = new URLSearchParams({ signature: mp.derived.plainSignatureForSameTokenTimestampNonce, timestamp: mp.timestamp, nonce: mp.nonce, encrypt_type: 'aes', msg_signature: mp.msg_signature, openid: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs' });
    const response = await fetch(`${service.url}/channels/wechat?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: mp.postBody });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('<Encrypt>');
    const { openReply } = await import('../support/fake-wechat-api/index.js');
    expect(openReply(oa, body)).toMatchObject({ ToUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', FromUserName: 'gh_10f6c3c3ac5a', MsgType: 'text' });
  });

  it('answers the WeCom sample message', async () => {
    const { decryptMsg } = wecomSample;
    const query = new URLSearchParams({ msg_signature: decryptMsg.msg_signature, timestamp: decryptMsg.timestamp, nonce: decryptMsg.nonce });
    const response = await fetch(`${service.url}/channels/wecom?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: decryptMsg.postBody });
    expect(response.status).toBe(200);
    const { openReply } = await import('../support/fake-wechat-api/index.js');
    expect(openReply(wecom, await response.text())).toMatchObject({ ToUserName: 'ChenJiaShun', MsgType: 'text' });
  });
});

describe('a whole conversation in safe mode', () => {
  const openid = 'o-safe-mode-customer-1';
  let msgId = 7_000_000_000_000_000_000n;
  const say = (content: string, id = (msgId += 1n)) => push(service.url, oa, textXml({ from: openid, content, msgId: String(id) }));

  it('welcomes, answers, hands off, and delivers the agent through the customer-service API once', async () => {
    const welcome = await push(service.url, oa, messageXml(openid, 'event', { Event: 'subscribe', EventKey: '' }));
    expect(welcome.reply?.Content).toMatch(/您好/);

    const question = '东西买回来不喜欢，七天内还能退吗';
    const questionId = (msgId += 1n);
    const answer = await say(question, questionId);
    expect(answer.status).toBe(200);
    expect(answer.reply).toMatchObject({ ToUserName: openid, FromUserName: 'gh_test', MsgType: 'text' });
    expect(answer.reply?.Content).toMatch(/7/);
    // WeChat's retries of the same MsgId: answered once, stored once.
    for (let retry = 0; retry < 3; retry += 1) expect((await say(question, questionId)).body).toBe('success');

    const handedOff = await say('转人工');
    expect(handedOff.reply?.Content).toMatch(/人工/);
    const handoff = await waitingHandoffOf(service.url, openid);
    expect(handoff.conversation.channel).toBe('wechat');

    expect((await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/accept`, { agentName: '小李' }, agentHeaders)).status).toBe(200);
    const agentText = '您好，我是小李，您的退货我来处理。';
    expect((await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: agentText }, agentHeaders)).status).toBe(201);
    const [joined, reply] = await fake.waitForSent((sent) => sent.touser === openid, 2);
    expect(joined).toMatchObject({ api: 'custom/send', content: expect.stringContaining('小李') });
    expect(reply).toMatchObject({ api: 'custom/send', content: agentText });

    // While an agent has the conversation, the customer's words go to the agent, not the bot.
    expect((await say('好的，订单号是 12345')).body).toBe('success');

    fake.expireTokens();
    const issued = fake.tokensIssued;
    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: '已为您登记退货。' }, agentHeaders);
    await fake.waitForSent((sent) => sent.content === '已为您登记退货。');
    expect(fake.tokensIssued).toBe(issued + 1);

    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/resolve`, {}, agentHeaders);
    await fake.waitForSent((sent) => sent.touser === openid && /结束|评价/.test(sent.content));
    await pause(2000);
    const toCustomer = fake.sent.filter((sent) => sent.touser === openid).map((sent) => sent.content);
    expect(new Set(toCustomer).size).toBe(toCustomer.length);

    const transcript = await customerTranscript(service.dataDir, 'wechat', openid);
    expect(transcript.filter((message) => message.text === question)).toHaveLength(1);
    expect(transcript.every((message) => message.channel === 'wechat')).toBe(true);
    expect(transcript.map((message) => message.role)).toEqual(expect.arrayContaining(['customer', 'bot', 'system', 'agent']));
  });

  it('answers images and other types with a polite text-only reply', async () => {
    const image = await push(service.url, oa, messageXml('o-image-sender', 'image', { PicUrl: 'http://example.com/a.jpg', MediaId: 'm1', MsgId: '8000000000000000001' }));
    expect(image.reply?.Content).toMatch(/仅支持文字/);
    const location = await push(service.url, oa, messageXml('o-image-sender', 'location', { Location_X: '23.1', Label: '广州', MsgId: '8000000000000000002' }));
    expect(location.reply?.Content).toMatch(/text/);
  });

  it('refuses bad signatures, unencrypted pushes in safe mode and pushes for another app', async () => {
    const inner = textXml({ from: 'o-attacker', content: '你好', msgId: '9000000000000000001' });
    const forged = { ...oa, token: 'wrong-token' };
    expect((await push(service.url, forged, inner)).status).toBe(401);
    const { encodingAesKey: _key, ...plainOa } = oa;
    expect((await push(service.url, plainOa, inner)).status).toBe(400);
    expect((await push(service.url, { ...oa, receiveId: 'wx-another-app' }, inner)).status).toBe(400);
    expect((await push(service.url, { ...wecom, token: 'wrong-token' }, inner)).status).toBe(401);
    expect(await customerTranscript(service.dataDir, 'wechat', 'o-attacker')).toEqual([]);
  });
});

describe('WeCom', () => {
  it('answers a member passively and delivers the agent through message/send as the app', async () => {
    const userId = 'ZhangSan';
    const xml = (content: string, id: string) => textXml({ from: userId, to: wecom.receiveId, content, msgId: id, agentId: '1000002' });
    const first = await push(service.url, wecom, xml('怎么开发票', '5000000001'));
    expect(first.reply).toMatchObject({ ToUserName: userId, MsgType: 'text' });
    await push(service.url, wecom, xml('转人工', '5000000002'));
    const handoff = await waitingHandoffOf(service.url, userId);
    expect(handoff.conversation.channel).toBe('wecom');
    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/accept`, { agentName: '小王' }, agentHeaders);
    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: '发票已重新开具。' }, agentHeaders);
    const [sent] = await fake.waitForSent((candidate) => candidate.touser === userId && candidate.content === '发票已重新开具。');
    expect(sent).toMatchObject({ api: 'message/send', agentid: 1000002 });
  });
});
