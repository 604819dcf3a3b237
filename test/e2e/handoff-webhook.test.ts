import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/handoff/webhook/webhook-signature.js';
import { signIn } from '../support/agent-client.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

const SECRET = 'whsec-e2e-0123456789abcdef';
const SECRET_ENV = 'KEFU_E2E_PRESALES_WEBHOOK_SECRET';
const RETRY_BASE_MS = 150;

interface Received { at: number; headers: IncomingHttpHeaders; body: string; conversationId: string }

/** A helpdesk on 127.0.0.1 that answers each conversation's deliveries from its own plan. */
function helpdesk() {
  const received: Received[] = [];
  const plans = new Map<string, number[]>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const conversationId = String((JSON.parse(body) as { conversation?: { id?: string } }).conversation?.id ?? '');
      received.push({ at: Date.now(), headers: request.headers, body, conversationId });
      const plan = plans.get(conversationId) ?? [200];
      const attempt = received.filter((item) => item.conversationId === conversationId).length;
      response.statusCode = plan[Math.min(attempt - 1, plan.length - 1)] ?? 200;
      response.end();
    });
  });
  return {
    received,
    plan: (conversationId: string, statuses: number[]) => plans.set(conversationId, statuses),
    of: (conversationId: string) => received.filter((item) => item.conversationId === conversationId),
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/kefu`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The sample KB with a webhook on presales (the default group). */
function knowledgeWithWebhook(url: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-kb-webhook-'));
  cpSync(path.resolve('knowledge'), dir, { recursive: true });
  const file = path.join(dir, 'skill-groups.yaml');
  const marker = '    max_chats_per_agent: 6\n    sla_seconds: 180\n';
  const yaml = readFileSync(file, 'utf8');
  if (!yaml.includes(marker)) throw new Error('sample skill-groups.yaml changed; update this test');
  writeFileSync(file, yaml.replace(marker, `${marker}    webhook: { url: "${url}", secret: "\${${SECRET_ENV}}" }\n`));
  return dir;
}

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await sleep(25);
  }
}

let service: TestService;
let knowledgeDir: string;
const hook = helpdesk();

beforeAll(async () => {
  process.env[SECRET_ENV] = SECRET;
  knowledgeDir = knowledgeWithWebhook(await hook.listen());
  service = await startTestService({
    KNOWLEDGE_DIR: knowledgeDir, WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS), WEBHOOK_TIMEOUT_MS: '2000',
    HANDOFF_SWEEP_INTERVAL_MS: '40',
  });
});
afterAll(async () => {
  await service?.destroy();
  await hook.close();
  rmSync(knowledgeDir, { recursive: true, force: true });
  delete process.env[SECRET_ENV];
});

/** A web conversation that asks a KB question, then for a person; the helpdesk answers with `plan`. */
async function handedOff(plan: number[]) {
  const created = await api(service.url, 'POST', '/api/v1/conversations', { customer: { name: '王五', tags: ['新客户'] } });
  const id = created.body.id as string;
  hook.plan(id, plan);
  await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '尺码怎么选' });
  const turn = await api(service.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '转人工' });
  expect(turn.body.handoff).toMatchObject({ skillGroup: 'presales', status: 'waiting' });
  return { id, handoffId: turn.body.handoff.id as string };
}

describe('a skill group with a webhook', () => {
  it('POSTs the signed handoff, retries on 500 with backoff, and delivers exactly once', async () => {
    const { id, handoffId } = await handedOff([500, 500, 200]);
    const deliveries = await until(() => hook.of(id), (list) => list.length >= 3);
    await sleep(RETRY_BASE_MS * 6); // several sweeps later: nothing more arrives
    expect(hook.of(id)).toHaveLength(3);

    expect(new Set(deliveries.map((item) => item.headers['x-kefu-delivery'])).size).toBe(1);
    const [first, second, third] = deliveries as [Received, Received, Received];
    expect(second.at - first.at).toBeGreaterThanOrEqual(RETRY_BASE_MS - 5);
    expect(third.at - second.at).toBeGreaterThanOrEqual(2 * RETRY_BASE_MS - 5);
    for (const item of deliveries) {
      const signed = { body: item.body, timestamp: item.headers['x-kefu-timestamp'] as string, signature: item.headers['x-kefu-signature'] as string, now: new Date() };
      expect(item.headers['content-type']).toMatch(/application\/json/);
      expect(verifyWebhookSignature({ ...signed, secret: SECRET })).toBe(true);
      expect(verifyWebhookSignature({ ...signed, secret: 'not-the-secret' })).toBe(false);
      expect(verifyWebhookSignature({ ...signed, body: item.body.replace('转人工', '转人工!'), secret: SECRET })).toBe(false);
    }
    const payload = JSON.parse(third.body);
    expect(payload).toMatchObject({
      event: 'handoff.queued', reason: 'asked', tags: ['新客户'], summary: expect.stringContaining('尺码怎么选'),
      handoff: { id: handoffId, skillGroup: 'presales', replyPath: `/api/v1/helpdesk/handoffs/${handoffId}/messages` },
      conversation: { id, channel: 'web', lang: 'zh', customer: { name: '王五', tags: ['新客户'] } },
      citations: [expect.objectContaining({ entryId: expect.any(String), title: expect.any(String), kbVersion: 1 })],
    });
    expect(payload.transcript.map((message: { role: string; text: string }) => [message.role, message.text])).toEqual(
      expect.arrayContaining([['customer', '尺码怎么选'], ['customer', '转人工']]),
    );
    expect(payload.transcript.every((message: { channel: string }) => message.channel === 'web')).toBe(true);

    // The helpdesk answers through the reply path with the service token; the customer reads it live.
    const posted = await api(service.url, 'POST', payload.handoff.replyPath, { text: '您好，这里是工单系统', agentName: '外部客服' }, agentHeaders);
    expect(posted.status).toBe(201);
    const customer = await api(service.url, 'GET', `/api/v1/conversations/${id}`);
    expect(customer.body.status).toBe('agent');
    expect(customer.body.messages.at(-1)).toMatchObject({ role: 'agent', text: '您好，这里是工单系统' });
    expect((await api(service.url, 'POST', `/api/v1/helpdesk/handoffs/${handoffId}/resolve`, {}, agentHeaders)).body.handoff.status).toBe('resolved');
  });

  it('keeps a delivery as failed after the last try, where the team lead sees it', async () => {
    const { id, handoffId } = await handedOff([500]);
    const lead = await signIn(service.url, 'lead');
    const failed = await until(
      async () => (await lead.call('GET', '/api/v1/lead/webhooks?status=failed')).body.deliveries as Array<Record<string, unknown>>,
      (list) => list.some((delivery) => delivery.handoffId === handoffId),
    );
    expect(failed.find((delivery) => delivery.handoffId === handoffId)).toMatchObject({
      status: 'failed', skillGroup: 'presales', attempts: 3, lastStatus: 500, lastError: 'HTTP 500',
    });
    // The transcript stays out of the console's list.
    expect(failed.every((delivery) => !('payload' in delivery))).toBe(true);
    await sleep(RETRY_BASE_MS * 6);
    expect(hook.of(id)).toHaveLength(3);
    // Agents without the lead role do not see deliveries; the handoff itself still waits in the queue.
    const wang = await signIn(service.url, 'xiaowang');
    expect((await wang.call('GET', '/api/v1/lead/webhooks?status=failed')).status).toBe(403);
    expect((await wang.call('GET', `/api/v1/handoffs/${handoffId}`)).body.handoff.status).toBe('waiting');
  });
});
