import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestService, type TestService } from '../support/test-service.js';

let service: TestService;

beforeAll(async () => {
  service = await startTestService({ CONVERSATIONS_PER_IP_PER_MINUTE: '3', MESSAGES_PER_CONVERSATION_PER_MINUTE: '2' });
});
afterAll(async () => {
  await service.destroy();
});

describe('input limits', () => {
  it('limits messages per conversation and conversations per client', async () => {
    const created = await api(service.url, 'POST', '/api/v1/conversations', {});
    const id = created.body.id as string;
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '你好' })).status).toBe(200);
    expect((await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '运费' })).status).toBe(200);
    const limited = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '发票' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    const other = await api(service.url, 'POST', '/api/v1/conversations', {});
    expect((await api(service.url, 'POST', `/api/v1/conversations/${other.body.id}/messages`, { text: '你好' })).status).toBe(200);
    expect((await api(service.url, 'POST', '/api/v1/conversations', {})).status).toBe(201);
    expect((await api(service.url, 'POST', '/api/v1/conversations', {})).status).toBe(429);
  });
});
