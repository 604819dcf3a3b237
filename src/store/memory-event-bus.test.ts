import { describe, expect, it, vi } from 'vitest';
import type { StoreEvent } from './event-bus.js';
import { MemoryEventBus } from './memory-event-bus.js';

const updated = (status: string): StoreEvent => ({ type: 'conversation-updated', conversationId: 'c1', status });

describe('MemoryEventBus', () => {
  it('delivers events to every listener in publish order', async () => {
    const bus = new MemoryEventBus();
    const first: string[] = [];
    const second: string[] = [];
    bus.subscribe((event) => first.push(event.type === 'conversation-updated' ? event.status : ''));
    bus.subscribe((event) => second.push(event.type === 'conversation-updated' ? event.status : ''));
    for (const status of ['queued', 'agent', 'closed']) await bus.publish(updated(status));
    expect(first).toEqual(['queued', 'agent', 'closed']);
    expect(second).toEqual(first);
  });

  it('keeps delivering when a listener throws, and reports the error', async () => {
    const onListenerError = vi.fn();
    const bus = new MemoryEventBus({ onListenerError });
    const received: StoreEvent[] = [];
    bus.subscribe(() => {
      throw new Error('listener broke');
    });
    bus.subscribe((event) => received.push(event));
    await bus.publish(updated('queued'));
    await bus.publish(updated('agent'));
    expect(received).toHaveLength(2);
    expect(onListenerError).toHaveBeenCalledTimes(2);
    expect(onListenerError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener broke' }), updated('queued'));
  });

  it('stops delivering to a listener once unsubscribed, and to all after close', async () => {
    const bus = new MemoryEventBus();
    const listener = vi.fn();
    const other = vi.fn();
    const unsubscribe = bus.subscribe(listener);
    bus.subscribe(other);
    await bus.publish(updated('queued'));
    unsubscribe();
    unsubscribe();
    await bus.publish(updated('agent'));
    await bus.close();
    await bus.publish(updated('closed'));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(other).toHaveBeenCalledTimes(2);
  });

  it('treats the same function subscribed twice as two subscriptions', async () => {
    const bus = new MemoryEventBus();
    const listener = vi.fn();
    bus.subscribe(listener);
    const unsubscribeSecond = bus.subscribe(listener);
    await bus.publish(updated('queued'));
    unsubscribeSecond();
    await bus.publish(updated('agent'));
    expect(listener).toHaveBeenCalledTimes(3);
  });
});
