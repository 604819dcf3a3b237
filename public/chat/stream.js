// Live updates for one conversation: new messages and status / queue-position changes.
import { openStream } from '../common/sse.js';

/**
 * @param {string | (() => string)} urlFor  function (after) => URL of the events stream
 * @param {{ lastSeq: () => number,
 *           onMessage: (message: object) => void,
 *           onStatus: (update: { status: string, handoff: object | null }) => void,
 *           onState?: (state: string, info: { reconnected: boolean }) => void,
 *           onTyping?: (update: { role: string, active: boolean, name?: string }) => void }} handlers
 * @returns {{ close(): void, reconnectNow(): void }}
 */
export function watchConversation(urlFor, { lastSeq, onMessage, onStatus, onState, onTyping }) {
  return openStream(() => urlFor(lastSeq()), {
    onState,
    events: {
      message(data) {
        if (data && typeof data.seq === 'number') onMessage(data);
      },
      status(data) {
        if (data && typeof data.status === 'string') onStatus({ status: data.status, handoff: data.handoff ?? null });
      },
      typing(data) {
        if (data && typeof data.active === 'boolean') onTyping?.(data);
      },
    },
  });
}

/**
 * Keeps messages in seq order without duplicates (the POST response and the stream can both
 * carry the same message).
 */
export class MessageLog {
  constructor() {
    this.bySeq = new Map();
    this.lastSeq = 0;
  }

  /** Returns the messages that were not seen before, in seq order. */
  addAll(messages = []) {
    const fresh = [];
    for (const message of messages) {
      if (!message || typeof message.seq !== 'number' || this.bySeq.has(message.seq)) continue;
      this.bySeq.set(message.seq, message);
      this.lastSeq = Math.max(this.lastSeq, message.seq);
      fresh.push(message);
    }
    return fresh.sort((a, b) => a.seq - b.seq);
  }

  has(seq) {
    return this.bySeq.has(seq);
  }

  clear() {
    this.bySeq.clear();
    this.lastSeq = 0;
  }
}

/**
 * Incremental parser for a text/event-stream body read with fetch (EventSource cannot POST).
 * push() takes decoded text in chunks of any size and returns the events completed by it, as
 * { event, data } (data is the raw string; `event` defaults to "message"). Comments (": ping"),
 * `id` and `retry` lines are ignored; several `data` lines join with "\n", as the spec says.
 */
export class SseParser {
  constructor() {
    this.buffer = '';
    this.type = '';
    this.data = [];
  }

  push(text) {
    this.buffer += text;
    // A chunk may end between the \r and \n of one line break: keep the \r for the next chunk.
    const held = this.buffer.endsWith('\r') ? '\r' : '';
    const lines = (held ? this.buffer.slice(0, -1) : this.buffer).split(/\r\n|\r|\n/);
    this.buffer = lines.pop() + held;
    const events = [];
    for (const line of lines) {
      if (line === '') {
        if (this.data.length) events.push({ event: this.type || 'message', data: this.data.join('\n') });
        this.type = '';
        this.data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') this.type = value;
      else if (field === 'data') this.data.push(value);
    }
    return events;
  }
}
