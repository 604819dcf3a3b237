/**
 * Delivering handoffs to group webhooks through an outbox in the store: a delivery is queued
 * once per handoff and group (a unique key), leased to one sender at a time (a conditional
 * update), retried with exponential backoff, and kept as `failed` after the last try, where the
 * console shows it. Instances can all run the loop; the lease keeps them from sending twice.
 *
 * @module
 */
import type { Logger } from '../../logger.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { WebhookDelivery } from '../../store/console-records.js';
import type { Handoff } from '../../store/records.js';
import type { HandoffDirectory } from '../handoff-directory.js';
import { webhookPayload } from './webhook-payload.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './webhook-signature.js';

/** Options of the outbox; every duration is in milliseconds. */
export interface WebhookOutboxOptions {
  /** Tries before a delivery is kept as failed (`WEBHOOK_MAX_ATTEMPTS`). */
  maxAttempts: number;
  /** Wait before the first retry, doubled each time, at most 10 minutes (`WEBHOOK_RETRY_BASE_MS`). */
  retryBaseMs: number;
  /** Per-request timeout (`WEBHOOK_TIMEOUT_MS`). */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** Queues, leases, sends and retries webhook deliveries through the store. */
export class WebhookOutbox {
  readonly #fetch: typeof fetch;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(private readonly deps: { store: ConversationStore; directory: HandoffDirectory; clock: () => Date; newId: () => string; logger: Logger; options: WebhookOutboxOptions }) {
    this.#fetch = deps.options.fetch ?? globalThis.fetch;
  }

  /** Queues the handoff for its group's webhook, if the group has one, and sends at once. */
  async enqueue(handoff: Handoff): Promise<void> {
    const webhook = this.deps.directory.group(handoff.skillGroup)?.webhook;
    if (!webhook) return;
    const { store, clock } = this.deps;
    const [conversation, messages] = await Promise.all([store.getConversation(handoff.conversationId), store.listMessages(handoff.conversationId)]);
    const now = clock().toISOString();
    const queued = await store.enqueueWebhook({
      id: this.deps.newId(), key: `handoff:${handoff.id}:${handoff.skillGroup}`, handoffId: handoff.id, skillGroup: handoff.skillGroup,
      url: webhook.url, payload: JSON.stringify(webhookPayload(handoff, conversation, messages)), status: 'pending', attempts: 0,
      nextAttemptAt: now, createdAt: now,
    });
    if (queued) void this.runDue();
  }

  /** Sends every due delivery once; concurrent calls share one run. */
  runDue(): Promise<void> {
    this.#running ??= this.#sendDue().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Polls for due deliveries (retries, and ones another instance left behind). */
  start(intervalMs: number): void {
    if (intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.runDue(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  async #sendDue(): Promise<void> {
    const now = this.deps.clock();
    for (const delivery of await this.deps.store.dueWebhooks(now.toISOString(), 20)) {
      const leaseUntil = new Date(now.getTime() + this.deps.options.timeoutMs + 5_000).toISOString();
      if (!(await this.deps.store.claimWebhook(delivery.id, delivery.attempts, now.toISOString(), leaseUntil))) continue;
      await this.#attempt(delivery);
    }
  }

  async #attempt(delivery: WebhookDelivery): Promise<void> {
    const { options, logger, clock } = this.deps;
    const attempts = delivery.attempts + 1;
    const secret = this.deps.directory.webhook(delivery.skillGroup)?.secret;
    let outcome: { ok: boolean; status?: number; error?: string };
    if (!secret) outcome = { ok: false, error: 'webhook secret is not set' };
    else outcome = await this.#post(delivery, secret);
    const at = clock();
    if (outcome.ok) {
      await this.deps.store.finishWebhook(delivery.id, { status: 'delivered', attempts, nextAttemptAt: at.toISOString(), deliveredAt: at.toISOString(), ...(outcome.status ? { lastStatus: outcome.status } : {}) });
      logger.info('webhook delivered', { deliveryId: delivery.id, handoffId: delivery.handoffId, attempts });
      return;
    }
    const last = attempts >= options.maxAttempts;
    const delay = Math.min(options.retryBaseMs * 2 ** (attempts - 1), 600_000);
    await this.deps.store.finishWebhook(delivery.id, {
      status: last ? 'failed' : 'pending', attempts, nextAttemptAt: new Date(at.getTime() + delay).toISOString(),
      ...(outcome.error ? { lastError: outcome.error } : {}), ...(outcome.status ? { lastStatus: outcome.status } : {}),
    });
    logger.warn(last ? 'webhook failed for good' : 'webhook attempt failed', { deliveryId: delivery.id, handoffId: delivery.handoffId, attempts, status: outcome.status, error: outcome.error });
  }

  async #post(delivery: WebhookDelivery, secret: string): Promise<{ ok: boolean; status?: number; error?: string }> {
    const timestamp = Math.floor(this.deps.clock().getTime() / 1000);
    try {
      const response = await this.#fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(secret, timestamp, delivery.payload),
          // Receivers can drop a repeat of the same delivery (a lost response is retried).
          [DELIVERY_HEADER]: delivery.id,
        },
        body: delivery.payload,
        signal: AbortSignal.timeout(this.deps.options.timeoutMs),
        redirect: 'error',
      });
      await response.body?.cancel().catch(() => undefined);
      return response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
}
