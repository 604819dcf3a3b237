import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeQdrant, type FakeQdrant } from '../support/fake-qdrant/fake-qdrant-server.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

let qdrant: FakeQdrant;
let service: TestService;

beforeAll(async () => {
  qdrant = await startFakeQdrant();
  service = await startTestService({ QDRANT_URL: qdrant.url, QDRANT_COLLECTION_PREFIX: 'e2e_kb' });
});
afterAll(async () => {
  await service?.destroy();
  await qdrant?.close();
});

describe('the service on Qdrant (local stand-in checked against the official spec)', () => {
  it('publishes the sample KB to a versioned collection behind the live alias', () => {
    expect([...qdrant.state.collections.keys()]).toContain('e2e_kb_v1');
    expect(qdrant.requests.some((request) => request.operationId === 'update_aliases')).toBe(true);
  });

  it('answers with the same entry and citation as the embedded index', async () => {
    const created = await api(service.url, 'POST', '/api/v1/conversations', {});
    const turn = await api(service.url, 'POST', `/api/v1/conversations/${created.body.id}/messages`, { text: '退款多久能到账' });
    expect(turn.body.reply.citations[0]).toMatchObject({ entryId: 'refund-timeline', kbVersion: 1 });
    const search = await api(service.url, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('运费要多少钱')}`, undefined, agentHeaders);
    expect(search.body.results[0].entryId).toBe('shipping-fee');
  });

  it('sent only requests that the Qdrant OpenAPI document allows', () => {
    expect(qdrant.violations).toEqual([]);
    expect(qdrant.responseViolations).toEqual([]);
  });
});
