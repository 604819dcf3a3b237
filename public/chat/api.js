// HTTP client for the customer chat API. No DOM here, so the future widget can reuse it.
/* global TextDecoder */
import { SseParser } from './stream.js';

export class ApiError extends Error {
  /** status 0 means the request never reached the server (offline, DNS, CORS). */
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || (status === 0 ? 'network' : `http_${status}`);
  }
}

export const MAX_MESSAGE_LENGTH = 4000;

/**
 * Sends a JSON request and returns the parsed body; throws ApiError on failure.
 * Errors from the server look like {"error":{"code","message"}}.
 */
export async function requestJson(fetchFn, url, { method = 'GET', body, headers = {}, timeoutMs = 30000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetchFn(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: controller.signal,
      credentials: 'same-origin',
    });
  } catch (err) {
    throw new ApiError(0, controller.signal.aborted ? 'timeout' : 'network', err?.message);
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  const text = await response.text().catch(() => '');
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new ApiError(response.status, error.code, error.message);
  }
  return data;
}

// An `error` event arrives after the 200 of a stream: give it the status a JSON answer would have had.
const STREAM_ERROR_STATUS = { invalid_request: 400, not_found: 404, payload_too_large: 413, rate_limited: 429 };

/**
 * POSTs JSON asking for server-sent events and reads them from the response body: `delta`
 * events go to onDelta(text) as they come, the `reply` event's data is the result, an `error`
 * event throws ApiError. A JSON response (validation errors before any stream starts, or a
 * server that does not stream) is handled as requestJson would. The timeout counts from the
 * last byte received (the server sends a heartbeat), so a long answer is never cut off.
 */
export async function requestEventStream(fetchFn, url, { body, onDelta = () => {}, signal, idleTimeoutMs = 60000 } = {}) {
  const controller = new AbortController();
  let timedOut = false;
  let timer = null;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => { timedOut = true; controller.abort(); }, idleTimeoutMs);
  };
  const cancel = () => controller.abort();
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel);
  const failed = (err) => new ApiError(0, timedOut ? 'timeout' : signal?.aborted ? 'aborted' : 'network', err?.message);
  arm();
  let reader = null;
  try {
    let response;
    try {
      response = await fetchFn(url, {
        method: 'POST',
        headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
        body: JSON.stringify(body ?? {}),
        signal: controller.signal,
        credentials: 'same-origin',
      });
    } catch (err) {
      throw failed(err);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.includes('text/event-stream') || !response.body) {
      let data = null;
      const text = await response.text().catch(() => '');
      if (text) {
        try { data = JSON.parse(text); } catch { data = null; }
      }
      if (!response.ok) {
        const error = data?.error ?? {};
        throw new ApiError(response.status, error.code, error.message);
      }
      return data;
    }
    reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw failed(err);
      }
      if (chunk.done) break;
      arm();
      for (const { event, data: raw } of parser.push(decoder.decode(chunk.value, { stream: true }))) {
        let data;
        try { data = JSON.parse(raw); } catch { continue; }
        if (event === 'delta' && typeof data?.text === 'string') onDelta(data.text);
        else if (event === 'reply') return data;
        else if (event === 'error') {
          const error = data?.error ?? {};
          throw new ApiError(STREAM_ERROR_STATUS[error.code] ?? 500, error.code, error.message);
        }
      }
    }
    // The connection closed before the answer was complete.
    throw failed(new Error('the answer stream ended early'));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
    reader?.cancel().catch(() => undefined);
  }
}

/**
 * @param {{ base?: string, fetch?: typeof fetch }} [options]
 */
export function createChatApi({ base = '/api/v1', fetch: fetchFn = globalThis.fetch.bind(globalThis) } = {}) {
  const url = (path) => `${base}${path}`;
  const enc = encodeURIComponent;
  return {
    /** → { id, status, messages } */
    createConversation(customer) {
      const body = customer ? { customer } : {};
      return requestJson(fetchFn, url('/conversations'), { method: 'POST', body });
    },
    /** → { id, status, lang, failedTurns, messages, handoff } */
    getConversation(id) {
      return requestJson(fetchFn, url(`/conversations/${enc(id)}`));
    },
    /** → { reply, status, failedTurns, handoff, messages } */
    sendMessage(id, text) {
      // The bot may take a while (retrieval + model); give it longer than the default.
      return requestJson(fetchFn, url(`/conversations/${enc(id)}/messages`), {
        method: 'POST', body: { text }, timeoutMs: 60000,
      });
    },
    /**
     * Like sendMessage, but the answer streams: onDelta(text) gets each piece while a model
     * writes it. Resolves to the same body as sendMessage (whose reply text is final: it may
     * differ from the pieces when the model's answer was not used).
     * @param {{ signal?: AbortSignal }} [options]
     */
    sendStreaming(id, text, onDelta, { signal } = {}) {
      return requestEventStream(fetchFn, url(`/conversations/${enc(id)}/messages`), { body: { text }, onDelta, signal });
    },
    /** 取消排队: back to the bot; 409 when not waiting any more. */
    leaveQueue(id) {
      return requestJson(fetchFn, url(`/conversations/${enc(id)}/queue/leave`), { method: 'POST', body: {} });
    },
    /** Stores the 1-5 CSAT rating of a resolved conversation; 409 when rated already. */
    rate(id, score, comment) {
      return requestJson(fetchFn, url(`/conversations/${enc(id)}/rating`), { method: 'POST', body: comment ? { score, comment } : { score } });
    },
    /** Tells the agent the customer is typing (active) or stopped; fire and forget. */
    typing(id, active) {
      return requestJson(fetchFn, url(`/conversations/${enc(id)}/typing`), { method: 'POST', body: { active } });
    },
    /** URL for EventSource; `after` is the last message seq already shown. */
    eventsUrl(id, after) {
      return url(`/conversations/${enc(id)}/events?after=${enc(after > 0 ? after : 0)}`);
    },
  };
}
