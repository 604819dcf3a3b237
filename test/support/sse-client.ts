export interface SseEvent {
  event: string;
  id?: string;
  data: any;
}

/**
 * Reads a server-sent-events stream with fetch and collects its events; `waitFor` resolves once
 * an event matches, and fails after `timeoutMs`.
 */
export async function openEventStream(url: string) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  if (!response.ok || !response.body) throw new Error(`stream ${url} answered ${response.status}`);
  const events: SseEvent[] = [];
  const waiters: Array<{ match: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = response.body.getReader();
  void (async () => {
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
          const event: SseEvent = { event: fields.event ?? 'message', data: JSON.parse(fields.data), ...(fields.id !== undefined ? { id: fields.id } : {}) };
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
