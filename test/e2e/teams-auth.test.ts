import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { startFakeBotConnector, teamsActivity, type FakeBotConnector } from '../support/fake-bot-connector/index.js';
import { startTestService, type TestService } from '../support/test-service.js';

const APP_ID = 'b0a7e2c4-teams-auth-test';
let connector: FakeBotConnector;
let service: TestService;

beforeAll(async () => {
  connector = await startFakeBotConnector({ appId: APP_ID });
  service = await startTestService({
    TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'bot-password', TEAMS_OPENID_METADATA_URL: connector.metadataUrl, TEAMS_TOKEN_URL: connector.tokenUrl,
  });
});
afterAll(async () => {
  await service?.destroy();
  await connector?.close();
});

async function send(activity: Record<string, unknown>, authorization?: string): Promise<number> {
  const response = await fetch(`${service.url}/channels/teams/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    body: JSON.stringify(activity),
  });
  await response.arrayBuffer();
  return response.status;
}

const activity = (overrides: Record<string, unknown> = {}) => teamsActivity(connector.serviceUrl, { conversation: { id: `a:auth-${Math.random()}` }, ...overrides });
const bearer = (token: string) => `Bearer ${token}`;

describe('Bot Framework JWT validation (the real botframework-connector checks)', () => {
  it('accepts a valid token and answers through the connector', async () => {
    const incoming = activity({ text: 'hello' });
    expect(await send(incoming, bearer(connector.sign()))).toBe(200);
    const [reply] = await connector.waitForCalls((call) => call.replyToId === incoming.id);
    expect(reply?.authorization).toBe(`Bearer ${connector.botToken}`);
    expect(connector.tokenRequests[0]).toMatchObject({ grant_type: 'client_credentials', client_id: APP_ID, client_secret: 'bot-password', scope: 'https://api.botframework.com/.default' });
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const cases: Array<[string, () => string | undefined, (() => Record<string, unknown>)?]> = [
    ['no Authorization header', () => undefined],
    ['an empty header', () => ''],
    ['another scheme', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a token that is not a JWT', () => bearer('not-a-jwt')],
    ['an expired token', () => bearer(connector.sign({ exp: now - 3600, nbf: now - 7200 }))],
    ['a token not valid yet', () => bearer(connector.sign({ nbf: now + 3600 }))],
    ['the wrong audience', () => bearer(connector.sign({ aud: 'someone-elses-bot' }))],
    ['the wrong issuer', () => bearer(connector.sign({ iss: 'https://evil.example.com' }))],
    ['an emulator issuer', () => bearer(connector.sign({ iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/' }))],
    ['a signature by another key', () => bearer(connector.sign({}, { key: otherKey }))],
    ['an unknown key id', () => bearer(connector.sign({}, { kid: 'unknown-kid' }))],
    ['a serviceurl claim for another service', () => bearer(connector.sign({ serviceurl: 'https://smba.trafficmanager.net/amer/' }))],
    ['a skill token', () => bearer(connector.sign({ ver: '1.0', appid: 'another-bot', aud: APP_ID }))],
    ['alg none', () => bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: connector.serviceUrl, exp: now + 600 })}.`)],
    ['HS256 with a guessable secret', () => bearer(jwt.sign({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: connector.serviceUrl }, 'secret', { algorithm: 'HS256', keyid: connector.kid }))],
    ['a key not endorsed for the channel', () => bearer(connector.sign()), () => ({ channelId: 'webchat' })],
    // The library skips its serviceurl check for URLs it cannot parse; the adapter does not.
    ['a serviceUrl the library cannot parse', () => bearer(connector.sign()), () => ({ serviceUrl: 'javascript:alert(1)' })],
    ['a serviceUrl spelled differently from the claim', () => bearer(connector.sign()), () => ({ serviceUrl: connector.serviceUrl.toUpperCase() })],
  ];

  it.each(cases)('rejects %s with 401 and stores nothing', async (_name, token, overrides) => {
    const before = connector.calls.length;
    expect(await send(activity({ text: '转人工', ...overrides?.() }), token())).toBe(401);
    expect(connector.calls.length).toBe(before);
  });

  it('rejects the ASE channel, whose tokens use other keys', async () => {
    expect(await send(activity({ channelId: 'directlinease' }), bearer(connector.sign()))).toBe(401);
  });

  it('stored none of the rejected activities', async () => {
    // Every rejected case said 转人工; only the accepted one (hello) reached the store.
    const { store, db } = openSqliteStore(path.join(service.dataDir, 'kefu.sqlite'));
    try {
      const customerTexts = (await db.selectFrom('messages').select('text').where('role', '=', 'customer').execute()).map((row) => row.text);
      expect(customerTexts).toEqual(['hello']);
    } finally {
      await store.close();
    }
  });
});

describe('emulator mode', () => {
  it('is off by default: with an empty app id the route is not mounted at all', async () => {
    const plain = await startTestService({});
    try {
      const response = await fetch(`${plain.url}/channels/teams/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await plain.destroy();
    }
  });

  it('when switched on with an empty app id, accepts activities without a token and answers unsigned', async () => {
    const emulator = await startTestService({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    try {
      const incoming = teamsActivity(connector.serviceUrl, { channelId: 'emulator', conversation: { id: 'emulator-conv-1' }, text: 'hello' });
      const response = await fetch(`${emulator.url}/channels/teams/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(incoming) });
      expect(response.status).toBe(200);
      const [reply] = await connector.waitForCalls((call) => call.replyToId === incoming.id);
      expect(reply?.authorization).toBeUndefined();
    } finally {
      await emulator.destroy();
    }
  });

  it('cannot be combined with an app id or production', () => {
    const parse = (env: Record<string, string>) => configSchema.safeParse({ TEAMS_ALLOW_UNAUTHENTICATED: 'true', ...env });
    expect(parse({}).success).toBe(true);
    expect(parse({ TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'x' }).error?.issues[0]?.path).toEqual(['TEAMS_ALLOW_UNAUTHENTICATED']);
    expect(parse({ NODE_ENV: 'production' }).error?.issues[0]?.path).toEqual(['TEAMS_ALLOW_UNAUTHENTICATED']);
    expect(configSchema.safeParse({ TEAMS_APP_ID: APP_ID }).error?.issues[0]?.path).toEqual(['TEAMS_APP_PASSWORD']);
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
