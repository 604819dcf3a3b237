/**
 * The listeners of one event bus, shared by the memory and PostgreSQL buses.
 *
 * @module
 */
import type { StoreEvent, StoreEventListener } from './event-bus.js';

/** Receives what a listener threw; the bus goes on delivering to the others. */
export type ListenerErrorHandler = (error: unknown, event: StoreEvent) => void;

/** Default `ListenerErrorHandler`: a process warning, since a bus has no logger of its own. */
export function warnListenerError(error: unknown, event: StoreEvent): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`Store event listener failed on ${event.type}: ${reason}`);
}

/** A set of listeners that each get every event, in delivery order, isolated from each other. */
export class ListenerSet {
  readonly #listeners = new Set<StoreEventListener>();
  readonly #onError: ListenerErrorHandler;

  constructor(onError: ListenerErrorHandler = warnListenerError) {
    this.#onError = onError;
  }

  /** Adds `listener`; the returned function removes it (calling it twice is harmless). */
  add(listener: StoreEventListener): () => void {
    // Wrapped so the same function subscribed twice is two subscriptions, like an EventEmitter.
    const entry: StoreEventListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Calls every listener with `event`; one that throws does not stop the rest. */
  deliver(event: StoreEvent): void {
    // A copy, so listeners added or removed during delivery take effect from the next event.
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#onError(error, event);
      }
    }
  }

  /** Removes every listener (the bus is closing). */
  clear(): void {
    this.#listeners.clear();
  }
}
