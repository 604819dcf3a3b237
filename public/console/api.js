// HTTP client for the agent console. The session lives in an HttpOnly cookie, so calls carry
// nothing themselves; a 401 means the session ended and the console goes back to sign-in.
import { requestJson } from '../chat/api.js';

export { ApiError } from '../chat/api.js';

/**
 * @param {{ base?: string, fetch?: typeof fetch }} [options]
 */
export function createAgentApi({ base = '/api/v1', fetch: fetchFn = globalThis.fetch.bind(globalThis) } = {}) {
  const enc = encodeURIComponent;
  const call = (path, options = {}) => requestJson(fetchFn, `${base}${path}`, options);
  const post = (path, body = {}) => call(path, { method: 'POST', body });

  return {
    login: (username, password) => post('/agent/login', { username, password }),
    logout: () => post('/agent/logout'),
    me: () => call('/agent/me'),
    setStatus: (status) => post('/agent/status', { status }),
    /** → { responses: [{ code, set, setName, text: { zh, en } }] } (快捷回复) */
    cannedResponses: () => call('/agent/canned-responses'),
    /** → { handoffs: Handoff[] } */
    list: (status) => call(`/handoffs?status=${enc(status)}`),
    /** → { handoff, notes, rating, conversation: { id, status, lang, channel, customer, messages } } */
    get: (id) => call(`/handoffs/${enc(id)}`),
    /** → { handoff }; 409 already_accepted when someone else was faster. */
    accept: (id) => post(`/handoffs/${enc(id)}/accept`),
    reply: (id, text) => post(`/handoffs/${enc(id)}/messages`, { text }),
    note: (id, text) => post(`/handoffs/${enc(id)}/notes`, { text }),
    transfer: (id, skillGroup, note) => post(`/handoffs/${enc(id)}/transfer`, { skillGroup, note }),
    returnToBot: (id) => post(`/handoffs/${enc(id)}/return`),
    resolve: (id) => post(`/handoffs/${enc(id)}/resolve`),
    /** 稍后处理: body { untilReply: true } or { until: ISO } → { handoff } */
    snooze: (id, body) => post(`/handoffs/${enc(id)}/snooze`, body),
    /** → { conversations: [{ id, status, createdAt, firstQuestion, handoff, rating }] }: the customer's earlier conversations. */
    history: (id) => call(`/handoffs/${enc(id)}/history`),
    /** Presence pings (nothing stored): I am typing / stopped, I opened this chat. */
    typing: (id, active) => post(`/handoffs/${enc(id)}/typing`, { active }),
    viewing: (id) => post(`/handoffs/${enc(id)}/viewing`),
    searchKb: (q, lang) => call(`/kb/search?q=${enc(q)}&k=5${lang ? `&lang=${enc(lang)}` : ''}`),
    overview: () => call(`/lead/overview?tz=${enc(Intl.DateTimeFormat().resolvedOptions().timeZone)}`),
    failedWebhooks: () => call('/lead/webhooks?status=failed'),
    handoffEventsUrl: () => `${base}/handoffs/events`,
    conversationEventsUrl: (conversationId, after) => `${base}/conversations/${enc(conversationId)}/events?after=${enc(after > 0 ? after : 0)}`,
  };
}
