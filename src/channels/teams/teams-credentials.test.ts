import { describe, expect, it } from 'vitest';
import { BotCredentials } from './teams-credentials.js';

function tokenEndpoint(replies: Array<{ status: number; body: unknown }>) {
  const requests: Array<{ url: string; form: Record<string, string> }> = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(input), form: Object.fromEntries(new URLSearchParams(String(init?.body))) });
    const reply = replies.shift() ?? { status: 500, body: {} };
    return Response.json(reply.body, { status: reply.status });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('BotCredentials', () => {
  it('gets a client-credentials token for the Bot Connector scope from the tenant endpoint and caches it', async () => {
    const { fetch, requests } = tokenEndpoint([{ status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: 'tok-1' } }]);
    const credentials = new BotCredentials({ appId: `app-${Math.random()}`, appPassword: 'pw', tenantId: 'contoso.onmicrosoft.com', fetch });
    expect(await credentials.getToken()).toBe('tok-1');
    expect(await credentials.getToken()).toBe('tok-1');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(requests[0]?.form).toMatchObject({ grant_type: 'client_credentials', client_secret: 'pw', scope: 'https://api.botframework.com/.default' });
  });

  it('uses the multi-tenant endpoint by default, and a configured one when given', async () => {
    const first = tokenEndpoint([{ status: 200, body: { expires_in: 60, access_token: 'a' } }]);
    await new BotCredentials({ appId: `app-${Math.random()}`, appPassword: 'pw', fetch: first.fetch }).getToken();
    expect(first.requests[0]?.url).toBe('https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token');
    const second = tokenEndpoint([{ status: 200, body: { expires_in: '60', access_token: 'b' } }]);
    await new BotCredentials({ appId: `app-${Math.random()}`, appPassword: 'pw', tokenUrl: 'http://127.0.0.1:1/t/token', fetch: second.fetch }).getToken();
    expect(second.requests[0]?.url).toBe('http://127.0.0.1:1/t/token');
  });

  it('turns a refused request into ChannelDeliveryError', async () => {
    const { fetch } = tokenEndpoint([{ status: 401, body: { error: 'invalid_client' } }]);
    await expect(new BotCredentials({ appId: `app-${Math.random()}`, appPassword: 'bad', fetch }).getToken()).rejects.toMatchObject({ code: 'channel_delivery_failed', vendorCode: 401 });
  });
});
