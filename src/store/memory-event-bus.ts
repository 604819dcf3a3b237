/**
 * The embedded event bus: events stay in this process, which is all one instance needs.
 *
 * @module
 */
import type { EventBus, StoreEvent, StoreEventListener } from './event-bus.js';
import { ListenerSet, type ListenerErrorHandler } from './listener-set.js';

/** Options for `MemoryEventBus`. */
export interface MemoryEventBusOptions {
  /** Receives errors thrown by listeners. Default: a process warning. */
  onListenerError?: ListenerErrorHandler;
}

/**
 * In-process `EventBus`. `publish` delivers synchronously, so listeners see events in publish
 * order; a listener that throws is reported and the others still get the event.
 */
export class MemoryEventBus implements EventBus {
  readonly #listeners: ListenerSet;
  #closed = false;

  constructor(options: MemoryEventBusOptions = {}) {
    this.#listeners = new ListenerSet(options.onListenerError);
  }

  /** Delivers to current listeners; after `close` it does nothing. */
  publish(event: StoreEvent): Promise<void> {
    if (!this.#closed) this.#listeners.deliver(event);
    return Promise.resolve();
  }

  subscribe(listener: StoreEventListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Drops every listener. */
  close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    return Promise.resolve();
  }
}
