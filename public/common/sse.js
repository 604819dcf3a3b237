// A server-sent-events connection that keeps itself alive.
// EventSource retries on its own only for some failures and always with the URL it started with;
// we reconnect ourselves with backoff and a fresh URL (so `after=<last seq>` is current), and
// also right away when the browser comes back online or the tab becomes visible after a sleep.

const MIN_DELAY = 1000;
const MAX_DELAY = 15000;

/**
 * @param {() => string} makeUrl  called for every (re)connection
 * @param {{ events: Record<string, (data: any, event: MessageEvent) => void>,
 *           onState?: (state: 'connecting'|'open'|'reconnecting'|'closed', info: {reconnected: boolean}) => void }} options
 * @returns {{ close(): void, reconnectNow(): void }}
 */
export function openStream(makeUrl, { events, onState = () => {} }) {
  let source = null;
  let timer = null;
  let delay = MIN_DELAY;
  let closed = false;
  let everOpened = false;
  let dropped = false;

  function connect() {
    clearTimeout(timer);
    timer = null;
    if (closed) return;
    source?.close();
    onState(everOpened ? 'reconnecting' : 'connecting', { reconnected: false });
    const es = new EventSource(makeUrl());
    source = es;
    let opened = false;
    const markOpen = () => {
      if (source !== es || opened) return;
      opened = true;
      delay = MIN_DELAY;
      const reconnected = dropped;
      everOpened = true;
      dropped = false;
      onState('open', { reconnected });
    };
    es.addEventListener('open', markOpen);
    es.addEventListener('error', () => {
      if (source !== es || closed) return;
      es.close();
      dropped = true;
      onState('reconnecting', { reconnected: false });
      schedule();
    });
    for (const [name, handler] of Object.entries(events)) {
      es.addEventListener(name, (event) => {
        if (source !== es) return;
        markOpen(); // some proxies deliver the first event before 'open' is noticed
        let data;
        try { data = JSON.parse(event.data); } catch { return; }
        handler(data, event);
      });
    }
  }

  function schedule() {
    if (timer || closed) return;
    const jitter = Math.random() * 300;
    timer = setTimeout(connect, delay + jitter);
    delay = Math.min(delay * 2, MAX_DELAY);
  }

  function reconnectNow() {
    if (closed) return;
    // Already open, or a connection attempt is under way: nothing to do.
    if (source && source.readyState !== EventSource.CLOSED && !timer) return;
    delay = MIN_DELAY;
    connect();
  }

  const onOnline = () => reconnectNow();
  const onVisible = () => { if (document.visibilityState === 'visible') reconnectNow(); };
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onVisible);

  connect();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
      source = null;
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
      onState('closed', { reconnected: false });
    },
    reconnectNow,
  };
}
