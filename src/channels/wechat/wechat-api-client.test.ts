import { describe, expect, it } from 'vitest';
import type { WechatAccount } from './wechat-account.js';
import { WechatApiClient } from './wechat-api-client.js';

const oa: WechatAccount = { channel: 'wechat', token: 't', receiveId: 'wx-app', secret: 'app-secret', apiBaseUrl: 'https://api.example' };
const wecom: WechatAccount = { channel: 'wecom', token: 't', receiveId: 'ww-corp', secret: 'corp-secret', agentId: 1000002, apiBaseUrl: 'https://qyapi.example' };

/** A fetch that answers from a queue of JSON bodies (or a status) and records each request. */
function scriptedFetch(replies: Array<unknown | { status: number }>) {
  const requests: Array<{ url: URL; body?: any }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: new URL(String(input)), ...(init?.body !== undefined ? { body: JSON.parse(String(init.body)) } : {}) });
    const reply = replies.shift();
    if (reply === undefined) throw new Error('no scripted reply left');
    if (typeof reply === 'object' && reply !== null && 'status' in reply) return new Response('oops', { status: (reply as { status: number }).status });
    return Response.json(reply);
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const token = (value: string, expiresIn = 7200) => ({ access_token: value, expires_in: expiresIn });
const ok = { errcode: 0, errmsg: 'ok' };

describe('WechatApiClient', () => {
  it('gets a token once, caches it, and sends customer-service texts with it', async () => {
    const { fetch, requests } = scriptedFetch([token('T1'), ok, ok]);
    const client = new WechatApiClient(oa, { fetch });
    await client.sendText('openid-1', '您好');
    await client.sendText('openid-2', 'again');
    expect(requests.map((request) => request.url.pathname)).toEqual(['/cgi-bin/token', '/cgi-bin/message/custom/send', '/cgi-bin/message/custom/send']);
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ grant_type: 'client_credential', appid: 'wx-app', secret: 'app-secret' });
    expect(requests[1]!.url.searchParams.get('access_token')).toBe('T1');
    expect(requests[1]!.body).toEqual({ touser: 'openid-1', msgtype: 'text', text: { content: '您好' } });
  });

  it('shares one token request between concurrent sends', async () => {
    const { fetch, requests } = scriptedFetch([token('T1'), ok, ok, ok]);
    const client = new WechatApiClient(oa, { fetch });
    await Promise.all([client.sendText('a', '1'), client.sendText('b', '2'), client.sendText('c', '3')]);
    expect(requests.filter((request) => request.url.pathname === '/cgi-bin/token')).toHaveLength(1);
  });

  it.each([40001, 40014, 42001])('refreshes the token once on %i and retries', async (code) => {
    const { fetch, requests } = scriptedFetch([token('T1'), { errcode: code, errmsg: 'invalid' }, token('T2'), ok]);
    await new WechatApiClient(oa, { fetch }).sendText('openid', 'hi');
    expect(requests.map((request) => request.url.searchParams.get('access_token'))).toEqual([null, 'T1', null, 'T2']);
  });

  it('does not loop when the fresh token is refused as well', async () => {
    const { fetch } = scriptedFetch([token('T1'), { errcode: 40001 }, token('T2'), { errcode: 40001 }]);
    await expect(new WechatApiClient(oa, { fetch }).sendText('openid', 'hi')).rejects.toMatchObject({ code: 'channel_delivery_failed', vendorCode: 40001 });
  });

  it('renews the token shortly before it expires', async () => {
    let now = 0;
    const { fetch, requests } = scriptedFetch([token('T1', 7200), ok, token('T2', 7200), ok]);
    const client = new WechatApiClient(oa, { fetch, now: () => now });
    await client.sendText('a', '1');
    now = (7200 - 4 * 60) * 1000;
    await client.sendText('a', '2');
    expect(requests[3]!.url.searchParams.get('access_token')).toBe('T2');
  });

  it('turns WeChat errors, HTTP errors and odd bodies into ChannelDeliveryError without leaking the URL', async () => {
    for (const replies of [[token('T'), { errcode: 45015, errmsg: 'response out of time limit' }], [{ errcode: 40013, errmsg: 'invalid appid' }], [{ status: 502 }], [token('T'), 'not an object']]) {
      const { fetch } = scriptedFetch(replies);
      const error = (await new WechatApiClient(oa, { fetch }).sendText('openid', 'hi').catch((caught: unknown) => caught)) as Error;
      expect(error).toMatchObject({ code: 'channel_delivery_failed', status: 502 });
      expect(error.message).not.toContain('secret');
    }
    const unreachable = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    await expect(new WechatApiClient(oa, { fetch: unreachable }).sendText('o', 'x')).rejects.toMatchObject({ code: 'channel_delivery_failed' });
  });

  it('speaks the WeCom dialect: gettoken with corp id and secret, message/send as the app', async () => {
    const { fetch, requests } = scriptedFetch([{ errcode: 0, errmsg: 'ok', ...token('W1') }, ok]);
    await new WechatApiClient(wecom, { fetch }).sendText('ZhangSan', '发票已开');
    expect(requests[0]!.url.pathname).toBe('/cgi-bin/gettoken');
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({ corpid: 'ww-corp', corpsecret: 'corp-secret' });
    expect(requests[1]!.url.pathname).toBe('/cgi-bin/message/send');
    expect(requests[1]!.body).toEqual({ touser: 'ZhangSan', msgtype: 'text', agentid: 1000002, text: { content: '发票已开' } });
  });
});
