import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pause, waitingHandoffOf } from '../support/channel-test-helpers.js';
import { usePostgresSchema } from '../support/postgres-schema.js';
import { push, startFakeWechatApi, textXml, type FakeWechatApi, type PushAccount } from '../support/fake-wechat-api/index.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

// Two instances on one PostgreSQL database, as behind a load balancer: WeChat's retries and the
// agent's replies must still be handled once. Runs when DATABASE_URL is set.
const url = process.env.DATABASE_URL;
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
const oa: PushAccount = { path: '/channels/wechat', kind: 'wechat', token: 'twoInstances', receiveId: 'wx000000000000two1', encodingAesKey: KEY };

describe.skipIf(!url)('two instances sharing PostgreSQL (set DATABASE_URL to run)', () => {
  let fake: FakeWechatApi;
  const instances: TestService[] = [];
  const postgres = usePostgresSchema('e2e_wechat');

  beforeAll(async () => {
    fake = await startFakeWechatApi({ appId: oa.receiveId, appSecret: 's' });
    const settings = { DATABASE_URL: postgres.databaseUrl(), WECHAT_TOKEN: oa.token, WECHAT_APP_ID: oa.receiveId, WECHAT_APP_SECRET: 's', WECHAT_ENCODING_AES_KEY: KEY, WECHAT_API_BASE_URL: fake.url };
    instances.push(await startTestService(settings));
    instances.push(await startTestService(settings));
  });
  afterAll(async () => {
    for (const instance of instances) await instance.destroy();
    await fake?.close();
  });

  it('answers a push retried on both instances once, and delivers each agent message once', async () => {
    const openid = 'o-two-instances';
    const inner = textXml({ from: openid, content: '转人工', msgId: '6200000000000000001' });
    const replies = await Promise.all([0, 1, 0, 1].map((index) => push(instances[index]!.url, oa, inner)));
    expect(replies.filter((reply) => reply.reply !== undefined)).toHaveLength(1);
    expect(replies.filter((reply) => reply.body === 'success')).toHaveLength(3);

    const [first, second] = instances as [TestService, TestService];
    const handoff = await waitingHandoffOf(first.url, openid);
    await api(second.url, 'POST', `/api/v1/handoffs/${handoff.id}/accept`, { agentName: '小李' }, agentHeaders);
    for (const text of ['第一条', '第二条', '第三条']) await api(first.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text }, agentHeaders);
    await fake.waitForSent((sent) => sent.content === '第三条');
    await pause(2500);
    const toCustomer = fake.sent.filter((sent) => sent.touser === openid).map((sent) => sent.content);
    // Order across instances is best effort (each sends what it claimed); each is sent once.
    expect(toCustomer.filter((text) => text.startsWith('第')).sort()).toEqual(['第一条', '第三条', '第二条']);
    expect(toCustomer.filter((text) => text.includes('小李'))).toHaveLength(1);
    expect(new Set(toCustomer).size).toBe(toCustomer.length);
  });
});
