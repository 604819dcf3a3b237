/**
 * The production event bus: PostgreSQL LISTEN/NOTIFY, so an event published by any instance
 * reaches listeners in every instance on the same database and channel.
 *
 * @example
 * const events = await PostgresEventBus.connect({ connectionString: process.env.DATABASE_URL! });
 * events.subscribe((event) => console.log(event.type));
 *
 * @module
 */
import pg from 'pg';
import { decodeEvent, encodeEvent } from './event-payload.js';
import type { EventBus, StoreEvent, StoreEventListener } from './event-bus.js';
import { ListenerSet, type ListenerErrorHandler } from './listener-set.js';
import { EventBusUnavailableError, StoreError } from './store-errors.js';

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Options for `PostgresEventBus.connect`. */
export interface PostgresEventBusOptions {
  connectionString: string;
  /** NOTIFY channel; lower-case letters, digits and `_`. Default: `kefu_events`. */
  channel?: string;
  /** Receives errors thrown by listeners. Default: a process warning. */
  onListenerError?: ListenerErrorHandler;
  /** Receives connection losses, failed reconnects and unreadable payloads. Default: a process warning. */
  onError?: (error: unknown) => void;
  /** Delay before the first reconnect, in ms, doubled after each failure. Default: 250. */
  reconnectDelayMs?: number;
  /** Longest delay between reconnects, in ms. Default: 10,000. */
  maxReconnectDelayMs?: number;
  /** How long `publish` waits for a lost connection to come back, in ms. Default: 5,000. */
  publishTimeoutMs?: number;
  /** `application_name` of the connection, to find it in `pg_stat_activity`. Default: `kefu-events`. */
  applicationName?: string;
}

/**
 * `EventBus` over one dedicated `pg.Client` that both LISTENs and NOTIFYs. Publishing on one
 * connection keeps this instance's events in order, and its own listeners get them through the
 * NOTIFY round trip like everyone else's, exactly once. If the connection drops it reconnects
 * with backoff; events sent while it was away are missed, so clients catch up from the store
 * (`listMessages(conversationId, afterSeq)`). Message texts in events are capped (`encodeEvent`).
 */
export class PostgresEventBus implements EventBus {
  readonly #options: PostgresEventBusOptions;
  readonly #channel: string;
  readonly #listeners: ListenerSet;
  readonly #onError: (error: unknown) => void;
  readonly #waiters = new Set<(client: pg.Client | undefined) => void>();
  #client: pg.Client | undefined;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #sending: Promise<void> = Promise.resolve();

  private constructor(options: PostgresEventBusOptions) {
    this.#options = options;
    this.#channel = options.channel ?? 'kefu_events';
    if (!CHANNEL_NAME.test(this.#channel)) {
      throw new StoreError('event_channel_invalid', `Invalid NOTIFY channel ${JSON.stringify(this.#channel)}`);
    }
    this.#listeners = new ListenerSet(options.onListenerError);
    this.#onError = options.onError ?? warn;
  }

  /** Connects and starts listening; rejects if the first connection fails (bad URL, no server). */
  static async connect(options: PostgresEventBusOptions): Promise<PostgresEventBus> {
    const bus = new PostgresEventBus(options);
    await bus.#open();
    return bus;
  }

  /** Sends `event` with NOTIFY; waits up to `publishTimeoutMs` for a lost connection to return. */
  publish(event: StoreEvent): Promise<void> {
    const payload = encodeEvent(event);
    // pg wants one query at a time per client; chaining also keeps this instance's order.
    const sent = this.#sending.then(() => this.#send(event.type, payload));
    this.#sending = sent.catch(() => undefined);
    return sent;
  }

  subscribe(listener: StoreEventListener): () => void {
    return this.#listeners.add(listener);
  }

  /** Stops listening, drops every listener and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#listeners.clear();
    for (const wake of this.#waiters) wake(undefined);
    const client = this.#client;
    this.#client = undefined;
    await client?.end();
  }

  async #open(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      application_name: this.#options.applicationName ?? 'kefu-events',
      // Keep-alive notices a connection that died without a word (a NAT or a failover).
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new Error('event bus connection ended')));
    client.on('notification', (notification) => {
      if (notification.channel !== this.#channel) return;
      let event: StoreEvent;
      try {
        event = decodeEvent(notification.payload ?? '');
      } catch (error) {
        this.#onError(error);
        return;
      }
      this.#listeners.deliver(event);
    });
    try {
      await client.connect();
      await client.query(`listen "${this.#channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end();
      return;
    }
    this.#client = client;
    for (const wake of this.#waiters) wake(client);
  }

  #lost(client: pg.Client, error: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    this.#onError(new EventBusUnavailableError('Event bus connection lost; reconnecting', { cause: error }));
    client.end().catch(() => undefined);
    this.#scheduleReconnect(this.#options.reconnectDelayMs ?? 250);
  }

  #scheduleReconnect(delay: number): void {
    if (this.#closed) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#open().catch((error: unknown) => {
        this.#onError(new EventBusUnavailableError('Event bus reconnect failed', { cause: error }));
        this.#scheduleReconnect(Math.min(delay * 2, this.#options.maxReconnectDelayMs ?? 10_000));
      });
    }, delay);
  }

  async #send(type: StoreEvent['type'], payload: string): Promise<void> {
    const client = this.#client ?? (await this.#waitForConnection());
    try {
      await client.query('select pg_notify($1, $2)', [this.#channel, payload]);
    } catch (error) {
      throw new EventBusUnavailableError(`Could not publish ${type}`, { cause: error });
    }
  }

  #waitForConnection(): Promise<pg.Client> {
    if (this.#closed) return Promise.reject(new EventBusUnavailableError('Event bus is closed'));
    const timeoutMs = this.#options.publishTimeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const wake = (client: pg.Client | undefined): void => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        if (client === undefined) reject(new EventBusUnavailableError('Event bus is closed'));
        else resolve(client);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new EventBusUnavailableError(`Event bus not connected after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(wake);
    });
  }
}

function warn(error: unknown): void {
  process.emitWarning(error instanceof Error ? error.message : String(error));
}
