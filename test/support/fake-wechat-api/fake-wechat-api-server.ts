/**
 * A local stand-in of the WeChat and WeCom server APIs: the access-token endpoints and the
 * asynchronous send endpoints (`message/custom/send`, `message/send`), with WeChat's error
 * shapes. It records every call so tests can see what was sent, and can expire its tokens to
 * exercise the refresh path.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One text the service sent to a user. */
export interface SentText {
  api: 'custom/send' | 'message/send';
  touser: string;
  content: string;
  agentid?: number;
}

export interface FakeWechatApiOptions {
  /** Official Account credentials accepted by /cgi-bin/token. */
  appId: string;
  appSecret: string;
  /** WeCom credentials accepted by /cgi-bin/gettoken. */
  corpId?: string;
  corpSecret?: string;
}

export interface FakeWechatApi {
  url: string;
  /** Every request, in order: path and (for sends) the parsed body. */
  calls: Array<{ method: string; path: string; body?: any }>;
  sent: SentText[];
  tokensIssued: number;
  /** Makes every token issued so far invalid (the next send gets errcode 40001). */
  expireTokens(): void;
  /** Resolves when `count` texts matching `match` were sent; rejects after `timeoutMs`. */
  waitForSent(match: (sent: SentText) => boolean, count?: number, timeoutMs?: number): Promise<SentText[]>;
  close(): Promise<void>;
}

export async function startFakeWechatApi(options: FakeWechatApiOptions): Promise<FakeWechatApi> {
  const valid = new Set<string>();
  const state = { calls: [] as FakeWechatApi['calls'], sent: [] as SentText[], tokensIssued: 0 };

  const issue = (response: ServerResponse, withErrcode: boolean) => {
    const token = `token-${randomBytes(8).toString('hex')}`;
    valid.add(token);
    state.tokensIssued += 1;
    json(response, { ...(withErrcode ? { errcode: 0, errmsg: 'ok' } : {}), access_token: token, expires_in: 7200 });
  };

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = request.method === 'POST' ? await readJson(request) : undefined;
    state.calls.push({ method: request.method ?? '', path: url.pathname, ...(body !== undefined ? { body } : {}) });
    const query = url.searchParams;
    if (url.pathname === '/cgi-bin/token') {
      if (query.get('grant_type') !== 'client_credential' || query.get('appid') !== options.appId || query.get('secret') !== options.appSecret) {
        return json(response, { errcode: 40013, errmsg: 'invalid appid' });
      }
      return issue(response, false);
    }
    if (url.pathname === '/cgi-bin/gettoken') {
      if (query.get('corpid') !== options.corpId || query.get('corpsecret') !== options.corpSecret) return json(response, { errcode: 40001, errmsg: 'invalid credential' });
      return issue(response, true);
    }
    const api = url.pathname === '/cgi-bin/message/custom/send' ? 'custom/send' : url.pathname === '/cgi-bin/message/send' ? 'message/send' : undefined;
    if (api === undefined) return json(response, { errcode: 404, errmsg: 'no such api' }, 404);
    if (!valid.has(query.get('access_token') ?? '')) return json(response, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    if (body?.msgtype !== 'text' || typeof body.touser !== 'string' || typeof body.text?.content !== 'string') return json(response, { errcode: 44002, errmsg: 'empty post data' });
    state.sent.push({ api, touser: body.touser, content: body.text.content, ...(body.agentid !== undefined ? { agentid: body.agentid } : {}) });
    json(response, { errcode: 0, errmsg: 'ok' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    calls: state.calls,
    sent: state.sent,
    get tokensIssued() {
      return state.tokensIssued;
    },
    expireTokens: () => valid.clear(),
    async waitForSent(match, count = 1, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = state.sent.filter(match);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`expected ${count} sent texts, saw ${JSON.stringify(state.sent)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function json(response: ServerResponse, body: unknown, status = 200): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}
