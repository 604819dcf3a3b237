import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoreEvent } from './event-bus.js';
import { EVENT_TEXT_LIMIT } from './event-payload.js';
import { PostgresEventBus, type PostgresEventBusOptions } from './postgres-event-bus.js';

const url = process.env.DATABASE_URL;

const updated = (status: string): StoreEvent => ({ type: 'conversation-updated', conversationId: 'c1', status });
const statuses = (events: StoreEvent[]): string[] =>
  events.map((event) => (event.type === 'conversation-updated' ? event.status : event.type));

describe.skipIf(!url)('PostgresEventBus (set DATABASE_URL to run)', () => {
  const databaseUrl = url ?? '';
  const opened: PostgresEventBus[] = [];
  // A fresh channel per test, so parallel runs on the same database do not hear each other.
  let channel = '';

  const connect = async (options: Partial<PostgresEventBusOptions> = {}): Promise<PostgresEventBus> => {
    const bus = await PostgresEventBus.connect({ connectionString: databaseUrl, channel, ...options });
    opened.push(bus);
    return bus;
  };
  const collect = (bus: PostgresEventBus): StoreEvent[] => {
    const events: StoreEvent[] = [];
    bus.subscribe((event) => events.push(event));
    return events;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((bus) => bus.close()));
  });

  it('delivers an event published on one instance to listeners on both, once each', async () => {
    channel = `test_events_${randomBytes(6).toString('hex')}`;
    const [first, second] = [await connect(), await connect()];
    const onFirst = collect(first);
    const onSecond = collect(second);
    await first.publish(updated('queued'));
    await vi.waitFor(() => expect([onFirst.length, onSecond.length]).toEqual([1, 1]));
    await sleep(200);
    expect(onFirst).toEqual([updated('queued')]);
    expect(onSecond).toEqual([updated('queued')]);
  });

  it("keeps one publisher's events in order", async () => {
    channel = `test_events_${randomBytes(6).toString('hex')}`;
    const [publisher, listener] = [await connect(), await connect()];
    const received = collect(listener);
    const sent = Array.from({ length: 30 }, (_, index) => `status-${index}`);
    await Promise.all(sent.map((status) => publisher.publish(updated(status))));
    await vi.waitFor(() => expect(statuses(received)).toEqual(sent));
  });

  it(`caps message text at ${EVENT_TEXT_LIMIT} characters`, async () => {
    channel = `test_events_${randomBytes(6).toString('hex')}`;
    const bus = await connect();
    const received = collect(bus);
    const text = '请帮我查一下订单'.repeat(1_000);
    await bus.publish({
      type: 'message-created',
      conversationId: 'c1',
      message: { id: 'm1', conversationId: 'c1', seq: 1, role: 'customer', text, channel: 'web', citations: [], at: 'now' },
    });
    await vi.waitFor(() => expect(received).toHaveLength(1));
    const [event] = received;
    expect(event?.type === 'message-created' && text.startsWith(event.message.text)).toBe(true);
    expect(event?.type === 'message-created' && event.message.text.length).toBeLessThanOrEqual(EVENT_TEXT_LIMIT);
  });

  it('reconnects after its connection is killed and hears events again', async () => {
    channel = `test_events_${randomBytes(6).toString('hex')}`;
    const applicationName = `kefu-test-${randomBytes(4).toString('hex')}`;
    const errors: unknown[] = [];
    const victim = await connect({ applicationName, reconnectDelayMs: 50, onError: (error) => errors.push(error) });
    const other = await connect();
    const received = collect(victim);

    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await vi.waitFor(() => expect(errors).not.toHaveLength(0));
    expect(errors[0]).toMatchObject({ code: 'event_bus_unavailable' });

    // Publishing on the victim waits for its new connection instead of failing.
    await victim.publish(updated('after-restart'));
    await vi.waitFor(() => expect(statuses(received)).toContain('after-restart'));
    await other.publish(updated('from-other'));
    await vi.waitFor(() => expect(statuses(received)).toContain('from-other'));
    expect(statuses(received).filter((status) => status === 'after-restart')).toHaveLength(1);
  });

  it('refuses to publish once closed', async () => {
    channel = `test_events_${randomBytes(6).toString('hex')}`;
    const bus = await connect();
    await bus.close();
    await expect(bus.publish(updated('late'))).rejects.toMatchObject({ code: 'event_bus_unavailable' });
  });
});
