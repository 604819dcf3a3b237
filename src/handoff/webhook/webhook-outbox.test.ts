import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skillGroupsFileSchema } from '../../knowledge/skill-groups.js';
import { silentLogger } from '../../logger.js';
import type { KyselyConversationStore } from '../../store/kysely-conversation-store.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { aConversation, aHandoff, aMessage } from '../../store/store-fixtures.js';
import { HandoffDirectory } from '../handoff-directory.js';
import { WebhookOutbox } from './webhook-outbox.js';
import { verifyWebhookSignature } from './webhook-signature.js';

interface Received { headers: Record<string, string | string[] | undefined>; body: string }

/** A receiver on 127.0.0.1 that answers with the next status of `plan` (then the last one). */
function receiver(plan: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = plan[Math.min(received.length - 1, plan.length - 1)] ?? 200;
      response.end('ok');
    });
  });
  return {
    received,
    listen: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const SECRET = 'whsec-test-0123456789';
let store: KyselyConversationStore;

beforeAll(async () => {
  store = openSqliteStore(':memory:').store;
  await store.migrate();
});
afterAll(async () => {
  await store.close();
});

async function setup(url: string, maxAttempts = 5) {
  const directory = new HandoffDirectory(skillGroupsFileSchema.parse({
    default: 'hooked',
    groups: [{ id: 'hooked', name: { zh: '外部', en: 'External' }, webhook: { url, secret: '${TEST_WEBHOOK_SECRET}' } }],
  }), { TEST_WEBHOOK_SECRET: SECRET });
  const conversation = aConversation();
  await store.createConversation(conversation);
  await store.appendMessage(aMessage(conversation.id, { text: '我要退款' }));
  const handoff = await store.createHandoff(aHandoff(conversation.id, 'hooked'));
  const outbox = () => new WebhookOutbox({
    store, directory, clock: () => new Date(), newId: randomUUID, logger: silentLogger(),
    options: { maxAttempts, retryBaseMs: 20, timeoutMs: 2_000 },
  });
  return { handoff, outbox };
}

async function drain(run: () => Promise<unknown>, until: () => Promise<boolean>): Promise<void> {
  for (let round = 0; round < 100 && !(await until()); round += 1) {
    await run();
    await sleep(25);
  }
}

describe('webhook delivery', () => {
  it('signs verifiably, retries on 500 with backoff, and delivers once', async () => {
    const hook = receiver([500, 500, 200]);
    const url = await hook.listen();
    try {
      const { handoff, outbox } = await setup(url);
      const [first, second] = [outbox(), outbox()];
      await first.enqueue(handoff);
      await second.enqueue(handoff); // a second instance queuing the same handoff adds nothing
      const state = async () => (await store.listWebhooks({ limit: 100 })).find((item) => item.handoffId === handoff.id);
      // Two instances polling at once must not send any attempt twice.
      await drain(() => Promise.all([first.runDue(), second.runDue()]), async () => (await state())?.status === 'delivered');
      await first.runDue();
      await second.runDue();
      expect(await state()).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 200 });
      expect(hook.received).toHaveLength(3);
      const deliveryIds = new Set(hook.received.map((request) => request.headers['x-kefu-delivery']));
      expect(deliveryIds.size).toBe(1);
      for (const request of hook.received) {
        expect(verifyWebhookSignature({
          secret: SECRET, body: request.body, timestamp: request.headers['x-kefu-timestamp'] as string,
          signature: request.headers['x-kefu-signature'] as string, now: new Date(),
        })).toBe(true);
        expect(verifyWebhookSignature({ secret: 'wrong', body: request.body, timestamp: request.headers['x-kefu-timestamp'] as string, signature: request.headers['x-kefu-signature'] as string, now: new Date() })).toBe(false);
      }
      const body = JSON.parse(hook.received[0]?.body ?? '{}');
      expect(body).toMatchObject({ event: 'handoff.queued', reason: 'asked', summary: expect.any(String), tags: ['vip'], citations: [{ entryId: 'shipping-time' }] });
      expect(body.transcript[0]).toMatchObject({ role: 'customer', text: '我要退款', channel: 'web' });
    } finally {
      await hook.close();
    }
  });

  it('keeps a delivery as failed after the last try, with the last error', async () => {
    const hook = receiver([500]);
    const url = await hook.listen();
    try {
      const { handoff, outbox } = await setup(url, 3);
      const sender = outbox();
      await sender.enqueue(handoff);
      const state = async () => (await store.listWebhooks({ limit: 100 })).find((item) => item.handoffId === handoff.id);
      await drain(() => sender.runDue(), async () => (await state())?.status === 'failed');
      expect(await state()).toMatchObject({ status: 'failed', attempts: 3, lastStatus: 500, lastError: 'HTTP 500' });
      await sleep(100);
      await sender.runDue();
      expect(hook.received).toHaveLength(3);
      expect((await store.listWebhooks({ status: 'failed', limit: 10 })).map((item) => item.handoffId)).toContain(handoff.id);
    } finally {
      await hook.close();
    }
  });

  it('signs with timestamp.body and refuses stale timestamps', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const timestamp = Math.floor(now.getTime() / 1000);
    const body = '{"a":1}';
    const signature = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
    expect(verifyWebhookSignature({ secret: SECRET, body, timestamp: String(timestamp), signature, now })).toBe(true);
    expect(verifyWebhookSignature({ secret: SECRET, body, timestamp: String(timestamp), signature, now: new Date(now.getTime() + 600_000) })).toBe(false);
  });
});
