import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { seededRandom } from '../support/channel-test-helpers.js';
import { startFakeBotConnector, teamsActivity, type FakeBotConnector } from '../support/fake-bot-connector/index.js';
import { startTestService, type TestService } from '../support/test-service.js';

// Change the seed to explore; a failure message names the seed and case so it can be replayed.
const SEED = 20_260_702;
const CASES = 200;
const APP_ID = 'f022ed00-teams-fuzz-test';
const ALLOWED = new Set([200, 400, 401, 404, 413, 415]);

let connector: FakeBotConnector;
let service: TestService;

beforeAll(async () => {
  connector = await startFakeBotConnector({ appId: APP_ID });
  service = await startTestService({
    TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'p', TEAMS_OPENID_METADATA_URL: connector.metadataUrl, TEAMS_TOKEN_URL: connector.tokenUrl,
  });
});
afterAll(async () => {
  await service?.destroy();
  await connector?.close();
});

interface FuzzCase {
  kind: string;
  body: string;
  headers: Record<string, string>;
  /** The text of a well-formed, authenticated message activity. */
  valid?: string;
}

function generator(seed: number) {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const pool = ['a', 'Z', '0', ' ', '你', '好', '😀', '<at>', '</at>', '<', '&', '"', '\\', '\n', '\u0000', '\u202e'];
  const text = (max: number) => Array.from({ length: int(max) }, () => pick(pool)).join('');
  // Header values must be Latin-1 to be sent at all.
  const ascii = (max: number) => Array.from({ length: int(max) }, () => String.fromCharCode(33 + int(94))).join('');
  const junk = (): unknown => pick([null, 42, -1.5, true, '', text(20), [], [1, 'a'], {}, { id: 7 }, 'x'.repeat(3000)]);
  const ids: string[] = [];
  const json = { 'content-type': 'application/json' };
  const auth = () => ({ ...json, authorization: `Bearer ${connector.sign()}` });
  const activity = (overrides: Record<string, unknown> = {}) => teamsActivity(connector.serviceUrl, { conversation: { id: `a:fuzz-${int(4)}` }, from: { id: `29:fuzz-${int(4)}` }, ...overrides });

  return (): FuzzCase => {
    const kind = pick(['no-auth', 'bad-auth', 'bad-json', 'huge', 'wrong-types', 'missing', 'random-type', 'entities', 'valid', 'valid', 'service-url']);
    switch (kind) {
      case 'no-auth':
        return { kind, body: JSON.stringify(random() < 0.5 ? activity() : junk()), headers: json };
      case 'bad-auth':
        return { kind, body: JSON.stringify(activity()), headers: { ...json, authorization: pick([`Bearer ${ascii(60)}`, 'Bearer a.b.c', `Bearer ${connector.sign().slice(0, -5)}xxxxx`, ascii(30), 'Bearer ']) } };
      case 'bad-json':
        return { kind, body: pick(['{', '{"type":', 'null', '[]', '"str"', text(100)]), headers: random() < 0.5 ? auth() : json };
      case 'huge':
        return { kind, body: JSON.stringify(activity({ text: '长'.repeat(30_000 + int(40_000)) })), headers: auth() };
      case 'wrong-types': {
        const field = pick(['type', 'id', 'channelId', 'from', 'recipient', 'conversation', 'text', 'locale', 'membersAdded', 'attachments']);
        return { kind, body: JSON.stringify(activity({ [field]: junk() })), headers: auth() };
      }
      case 'missing': {
        const body = activity();
        delete body[pick(['type', 'channelId', 'from', 'recipient', 'conversation', 'serviceUrl'])];
        return { kind, body: JSON.stringify(body), headers: auth() };
      }
      case 'random-type':
        return { kind, body: JSON.stringify(activity({ type: pick(['typing', 'invoke', 'event', 'messageReaction', 'installationUpdate', 'conversationUpdate', text(10)]), membersAdded: random() < 0.5 ? [{ id: '28:bot-app' }] : undefined })), headers: auth() };
      case 'entities':
        return { kind, body: JSON.stringify(activity({ text: `<at>Bot</at> ${text(20)}`, entities: [junk(), { type: 'mention', text: junk(), mentioned: junk() }] })), headers: auth() };
      case 'service-url':
        return { kind, body: JSON.stringify(activity({ serviceUrl: pick(['javascript:alert(1)', 'file:///etc/passwd', 'http://169.254.169.254/', text(20)]) })), headers: auth() };
      default: {
        // A small pool of activity ids, so redeliveries of the same activity happen along the way.
        const id = `fuzz-activity-${int(30)}`;
        const known = ids.includes(id);
        if (!known) ids.push(id);
        const content = `fuzz ${id}`;
        return { kind, body: JSON.stringify(activity({ id, text: content, conversation: { id: 'a:fuzz-valid' }, from: { id: '29:fuzz-valid' } })), headers: auth(), valid: content };
      }
    }
  };
}

describe('malformed and random activities', () => {
  it(`never crash the Teams route (${CASES} seeded cases), and store each activity once`, async () => {
    const next = generator(SEED);
    const statuses = new Set<number>();
    const valid = new Set<string>();
    for (let index = 0; index < CASES; index += 1) {
      const fuzz = next();
      const response = await fetch(`${service.url}/channels/teams/messages`, { method: 'POST', headers: fuzz.headers, body: fuzz.body });
      const body = await response.text();
      statuses.add(response.status);
      const where = `seed ${SEED}, case ${index} (${fuzz.kind}): ${response.status} ${body.slice(0, 200)}`;
      expect(ALLOWED.has(response.status), where).toBe(true);
      // The app's JSON parser answers 400 before any route for bodies that are not a JSON object or array.
      const parsable = typeof fuzz.body === 'string' && /^[[{]/.test(fuzz.body);
      if ((fuzz.kind === 'no-auth' || fuzz.kind === 'bad-auth' || fuzz.kind === 'service-url') && parsable) expect(response.status, where).toBe(401);
      if (fuzz.valid !== undefined) {
        expect(response.status, where).toBe(200);
        valid.add(fuzz.valid);
      }
    }
    expect([...statuses]).toEqual(expect.arrayContaining([200, 400, 401, 413]));

    const { store, db } = openSqliteStore(path.join(service.dataDir, 'kefu.sqlite'));
    try {
      expect(valid.size).toBeGreaterThan(5);
      for (const text of valid) {
        const rows = await db.selectFrom('messages').select('id').where('role', '=', 'customer').where('text', '=', text).execute();
        expect(rows, text).toHaveLength(1);
      }
    } finally {
      await store.close();
    }
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });
});
