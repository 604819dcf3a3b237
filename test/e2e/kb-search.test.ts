import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.destroy();
});

describe('GET /api/v1/kb/search', () => {
  it('returns the live version and ranked entries with scores and retrievers', async () => {
    const result = await api(service.url, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('退款多久到账')}&k=3`, undefined, agentHeaders);
    expect(result.status).toBe(200);
    expect(result.body.version).toBe(1);
    expect(result.body.results).toHaveLength(3);
    expect(result.body.results[0]).toMatchObject({ entryId: 'refund-timeline', retrievers: ['sparse'], category: ['售后', '退款'] });
    expect(result.body.results[0].confidence).toBeGreaterThanOrEqual(result.body.results[1].confidence);
    expect(result.body.results[0].score).toBeGreaterThan(0);
  });

  it('filters by category and answers in the requested language', async () => {
    const result = await api(service.url, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('how long does a refund take')}&lang=en&category=${encodeURIComponent('售后')}`, undefined, agentHeaders);
    expect(result.body.results.length).toBeGreaterThan(0);
    for (const entry of result.body.results) expect(entry.category[0]).toBe('售后');
    expect(result.body.results[0].answer).toMatch(/refund/i);
  });

  it('needs the agent token and a query', async () => {
    expect((await api(service.url, 'GET', '/api/v1/kb/search?q=x')).status).toBe(401);
    expect((await api(service.url, 'GET', '/api/v1/kb/search?q=', undefined, agentHeaders)).status).toBe(400);
    expect((await api(service.url, 'GET', '/api/v1/kb/search?q=a&k=999', undefined, agentHeaders)).status).toBe(400);
  });
});

describe('operational routes', () => {
  it('serves Prometheus metrics labelled by route, never by conversation id', async () => {
    const created = await api(service.url, 'POST', '/api/v1/conversations', {});
    await api(service.url, 'POST', `/api/v1/conversations/${created.body.id}/messages`, { text: '运费多少' });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/http_requests_total\{method="POST",route="\/api\/v1\/conversations\/:id\/messages",status="200"\} 1/);
    expect(metrics).not.toContain(created.body.id);
    expect(metrics).toMatch(/process_resident_memory_bytes/);
  });
});
