/**
 * A local stand-in of the Bot Framework around a bot: the OpenID metadata and signing keys
 * the Bot Connector's JWTs are checked against, the Entra token endpoint the bot gets its
 * outbound token from, and the connector's REST API at a serviceUrl (recording every call).
 * Tokens are signed here with a local RSA key, so the real validation in
 * `botframework-connector` runs against them.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import jwt from 'jsonwebtoken';

/** One REST call the bot made to the connector. */
export interface ConnectorCall {
  method: string;
  /** Path after the serviceUrl's own path, e.g. /v3/conversations/a%3A1/activities/act-1. */
  path: string;
  conversationId: string;
  /** The activity replied to, for replyToActivity. */
  replyToId?: string;
  authorization?: string;
  body: any;
}

export interface FakeBotConnector {
  url: string;
  /** Configure as TEAMS_OPENID_METADATA_URL. */
  metadataUrl: string;
  /** Configure as TEAMS_TOKEN_URL. */
  tokenUrl: string;
  /** A serviceUrl answered by this stand-in (Teams' look: regional path, trailing slash). */
  serviceUrl: string;
  kid: string;
  calls: ConnectorCall[];
  tokenRequests: Array<Record<string, string>>;
  /** The token the bot is given for its outbound calls. */
  botToken: string;
  /** Signs a Bot Connector JWT (RS256, our kid) with these claims over the defaults. */
  sign(claims?: Record<string, unknown>, options?: { key?: KeyObject; kid?: string; expiresInSeconds?: number }): string;
  waitForCalls(match: (call: ConnectorCall) => boolean, count?: number, timeoutMs?: number): Promise<ConnectorCall[]>;
  close(): Promise<void>;
}

export async function startFakeBotConnector(options: { appId: string }): Promise<FakeBotConnector> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `kid-${randomUUID()}`;
  const jwk = publicKey.export({ format: 'jwk' });
  const calls: ConnectorCall[] = [];
  const tokenRequests: Array<Record<string, string>> = [];
  const botToken = `bot-token-${randomUUID()}`;
  let base = '';

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(request);
    if (url.pathname === '/v1/.well-known/openidconfiguration') {
      return json(response, { issuer: 'https://api.botframework.com', jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (url.pathname === '/v1/.well-known/keys') {
      return json(response, { keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: ['msteams'] }] });
    }
    if (url.pathname.endsWith('/oauth2/v2.0/token') && request.method === 'POST') {
      const form = Object.fromEntries(new URLSearchParams(text));
      tokenRequests.push(form);
      if (form.client_id !== options.appId || form.grant_type !== 'client_credentials') return json(response, { error: 'invalid_client' }, 401);
      return json(response, { token_type: 'Bearer', expires_in: 3600, access_token: botToken });
    }
    const match = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(url.pathname);
    if (match && request.method === 'POST') {
      const conversationId = decodeURIComponent(match[1] ?? '');
      calls.push({
        method: request.method,
        path: url.pathname,
        conversationId,
        ...(match[2] !== undefined ? { replyToId: decodeURIComponent(match[2]) } : {}),
        ...(request.headers.authorization !== undefined ? { authorization: request.headers.authorization } : {}),
        body: safeJson(text),
      });
      return json(response, { id: `reply-${calls.length}` }, 201);
    }
    json(response, { error: { code: 'NotFound', message: url.pathname } }, 404);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const serviceUrl = `${base}/amer/`;

  return {
    url: base,
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    tokenUrl: `${base}/botframework.com/oauth2/v2.0/token`,
    serviceUrl,
    kid,
    calls,
    tokenRequests,
    botToken,
    sign(claims = {}, signOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: 'https://api.botframework.com', aud: options.appId, serviceurl: serviceUrl, nbf: now - 10, exp: now + (signOptions.expiresInSeconds ?? 3600), ...claims };
      return jwt.sign(payload, signOptions.key ?? privateKey, { algorithm: 'RS256', keyid: signOptions.kid ?? kid });
    },
    async waitForCalls(match, count = 1, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = calls.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`expected ${count} connector calls, saw ${JSON.stringify(calls.map((call) => [call.path, call.body?.text]))}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Teams activity with sensible defaults, for `overrides` to change. */
export function teamsActivity(serviceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${randomUUID()}`,
    timestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: '29:user-megan', name: 'Megan', aadObjectId: 'aad-megan' },
    conversation: { id: 'a:conv-megan', conversationType: 'personal', tenantId: 'tenant-1' },
    recipient: { id: '28:bot-app', name: 'SupportBot' },
    text: 'Hello',
    textFormat: 'plain',
    locale: 'en-US',
    channelData: { tenant: { id: 'tenant-1' } },
    ...overrides,
  };
}

function json(response: ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
