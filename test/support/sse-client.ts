export interface SseEvent {
  event: string;
  id?: string;
  data: any;
  /** When the event arrived, in ms since the request was sent. */
  at: number;
}

/**
 * Reads a server-sent-events stream with fetch and collects its events; `waitFor` resolves once
 * an event matches, and fails after `timeoutMs`.
 */
export async function openEventStream(url: string, init: { method?: string; body?: string } = {}) {
  const controller = new AbortController();
  const started = performance.now();
  const headers = { accept: 'text/event-stream', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) };
  const response = await fetch(url, { ...init, signal: controller.signal, headers });
  if (!response.ok || !response.body) throw new Error(`stream ${url} answered ${response.status}`);
  const events: SseEvent[] = [];
  const waiters: Array<{ match: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue;
            fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
          }
          if (fields.data === undefined) continue;
          const event: SseEvent = { event: fields.event ?? 'message', data: JSON.parse(fields.data), at: performance.now() - started, ...(fields.id !== undefined ? { id: fields.id } : {}) };
          events.push(event);
          for (const waiter of waiters.splice(0)) {
            if (waiter.match(event)) waiter.resolve(event);
            else waiters.push(waiter);
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    contentType: response.headers.get('content-type'),
    /** Settles when the server ends the stream (or it is closed). */
    ended,
    waitFor(match: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
        waiters.push({ match, resolve: (event) => { clearTimeout(timer); resolve(event); } });
      });
    },
    close: () => controller.abort(),
  };
}
