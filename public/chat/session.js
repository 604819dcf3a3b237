// One customer conversation: create or resume, send turns, follow the live stream, and tell the
// view what to show. No DOM here; the view object does the drawing.
import { MessageLog, watchConversation } from './stream.js';
import { MAX_MESSAGE_LENGTH } from './api.js';

const STORAGE_KEY = 'kefu.conversationId';
/** How long "客服正在输入…" stays without a new ping (the console pings every few seconds). */
export const AGENT_TYPING_MS = 6000;
/** At most one "I am typing" ping per this many ms. */
export const TYPING_PING_MS = 3000;

/**
 * view: { addMessage, addPending, addStreaming, finishStreaming, addDivider, lastRole, setStatus,
 *         setTyping, setAgentTyping?, setConnection, showSuggestions, showFeedback, clearChips, showError,
 *         clearError, reset }
 */
export function createSession({ api, view, storage = sessionStorage, getLang = () => 'zh' }) {
  const log = new MessageLog();
  let id = null;
  let status = null;
  let handoff = null;
  let failedTurns = 0;
  let stream = null;
  let agentShown = false;
  let closedShown = false;
  let generation = 0; // bumps on a new conversation so late answers for the old one are dropped
  let pending = [];
  let chain = Promise.resolve();
  let inFlight = 0;
  // The answer being written right now: its growing bubble, and how to cancel its request.
  let streaming = null;
  let turnAbort = null;
  // Typing both ways: the agent's indicator expires unless refreshed; ours is sent at most every few seconds.
  let agentTypingTimer = null;
  let typingSentAt = 0;
  let typingActive = false;

  const store = {
    get() { try { return storage.getItem(STORAGE_KEY); } catch { return null; } },
    set(value) { try { storage.setItem(STORAGE_KEY, value); } catch { /* no storage: no resume */ } },
    clear() { try { storage.removeItem(STORAGE_KEY); } catch { /* ignore */ } },
  };

  const joinedDivider = (name) => (name
    ? view.addDivider('agent-joined', 'chat.agentJoined.named', { name })
    : view.addDivider('agent-joined', 'chat.agentJoined'));

  function agentTyping(active) {
    clearTimeout(agentTypingTimer);
    agentTypingTimer = active ? setTimeout(() => view.setAgentTyping?.(false), AGENT_TYPING_MS) : null;
    view.setAgentTyping?.(active && status === 'agent');
  }

  function sendTyping(active) {
    if (!id || (status !== 'queued' && status !== 'agent') || !api.typing) return;
    const now = Date.now();
    if (active && typingActive && now - typingSentAt < TYPING_PING_MS) return;
    if (!active && !typingActive) return;
    typingActive = active;
    typingSentAt = now;
    api.typing(id, active).catch(() => undefined);
  }

  function ingest(messages, own) {
    for (const message of log.addAll(messages)) {
      view.clearChips();
      if (message.role === 'agent') agentTyping(false);
      // The server announces the agent itself (with their name); no second divider then.
      if (message.role === 'system' && message.intent === 'agent_joined') agentShown = true;
      if (message.role === 'agent' && !agentShown) {
        agentShown = true;
        joinedDivider(message.agentName || handoff?.agentName);
      }
      // The stored answer (from the POST or the live stream, whichever comes first) replaces the
      // streamed draft; any other reply (a handoff notice) just ends it.
      if (streaming && message.role !== 'customer') {
        const draft = streaming;
        streaming = null;
        if (message.role === 'bot') {
          view.finishStreaming(draft, message);
          continue;
        }
        draft.remove();
      }
      if (message.role === 'customer') {
        const match = own && pending.includes(own) && own.text.trim() === String(message.text).trim()
          ? own
          : pending.find((p) => p.text.trim() === String(message.text).trim());
        if (match) {
          pending = pending.filter((p) => p !== match);
          match.confirm(message);
          continue;
        }
      }
      view.addMessage(message);
    }
  }

  function applyStatus(next, nextHandoff) {
    if (!next) return;
    const prev = status;
    status = next;
    if (nextHandoff !== undefined) handoff = nextHandoff;
    if (next === 'bot') handoff = null;
    if (next === 'bot' || next === 'queued') agentShown = false;
    if (next !== 'agent') agentTyping(false);
    if (next === 'agent' && prev !== 'agent' && !agentShown) {
      agentShown = true;
      joinedDivider(handoff?.agentName);
    }
    if (next === 'closed') {
      view.clearChips();
      // Nothing can be sent any more: unsent messages lose their 重新发送 button.
      for (const handle of pending) handle.failed();
      if (!closedShown) {
        closedShown = true;
        view.addDivider('closed', 'chat.closed');
      }
      stream?.close();
      stream = null;
    }
    view.setStatus(status, handoff);
  }

  function follow() {
    stream?.close();
    const gen = generation;
    const conversationId = id;
    stream = watchConversation((after) => api.eventsUrl(conversationId, after), {
      lastSeq: () => log.lastSeq,
      onMessage: (message) => { if (gen === generation) ingest([message]); },
      onStatus: (update) => { if (gen === generation) applyStatus(update.status, update.handoff); },
      onTyping: (update) => { if (gen === generation && update.role === 'agent') agentTyping(update.active); },
      onState: (state, { reconnected }) => {
        if (gen !== generation) return;
        view.setConnection(state);
        // Status changes are not replayed after a drop: fetch the whole conversation again.
        if (reconnected) resync();
      },
    });
  }

  async function resync() {
    const gen = generation;
    try {
      const convo = await api.getConversation(id);
      if (gen !== generation) return;
      ingest(convo.messages);
      failedTurns = convo.failedTurns ?? failedTurns;
      applyStatus(convo.status, convo.handoff ?? null);
    } catch { /* the stream keeps retrying; the next reconnect tries again */ }
  }

  async function start({ fresh = false } = {}) {
    const gen = generation;
    view.clearError();
    try {
      let convo = null;
      const saved = fresh ? null : store.get();
      if (saved) {
        try {
          convo = await api.getConversation(saved);
        } catch (err) {
          if (err.status !== 404 && err.status !== 400) throw err;
          store.clear();
        }
      }
      if (!convo) {
        convo = await api.createConversation({ lang: getLang() });
        store.set(convo.id);
      }
      if (gen !== generation) return;
      id = convo.id;
      ingest(convo.messages);
      failedTurns = convo.failedTurns ?? 0;
      applyStatus(convo.status, convo.handoff ?? null);
      const asked = [...log.bySeq.values()].some((m) => m.role === 'customer');
      if (status === 'bot' && !asked) view.showSuggestions();
      if (status !== 'closed') follow();
    } catch {
      if (gen === generation) view.showError('start', { onRetry: () => start({ fresh }) });
    }
  }

  // Dots while waiting for an answer, but not under an answer that is already being written.
  const syncTyping = () => view.setTyping(inFlight > 0 && !streaming);

  async function deliver(text, handle, { feedback }) {
    const gen = generation;
    const abort = new AbortController();
    turnAbort = abort;
    let draft = null;
    const onDelta = (piece) => {
      if (gen !== generation) return;
      if (!draft) {
        draft = view.addStreaming(handle);
        streaming = draft;
        syncTyping();
      }
      if (streaming === draft) draft.append(piece);
    };
    try {
      const res = await api.sendStreaming(id, text, onDelta, { signal: abort.signal });
      if (gen !== generation) return;
      ingest(res.messages ?? [], handle);
      if (pending.includes(handle)) {
        // The server stored it, but under a seq we had already shown: drop the optimistic copy.
        pending = pending.filter((p) => p !== handle);
        handle.remove();
      }
      failedTurns = res.failedTurns ?? failedTurns;
      applyStatus(res.status, res.handoff ?? null);
      if (res.reply && status === 'bot' && view.lastRole() === 'bot') {
        // 有帮助 / 没帮助 under an answer; after a failed turn also 没解决，转人工, which is all
        // that is left to offer once the customer said 没帮助.
        if (!feedback) view.showFeedback({ offerHandoff: failedTurns > 0 });
        else if (failedTurns > 0) view.showFeedback({ offerHandoff: true, handoffOnly: true });
      }
    } catch (err) {
      if (gen !== generation) return;
      if (err.status === 413 || err.status === 404 || err.status === 400) {
        handle.failed();
        view.showError(err.status === 413 ? 'tooLong' : err.status === 404 ? 'gone' : 'answer');
      } else {
        const onRetry = () => retry(text, handle, feedback);
        handle.failed(onRetry);
        view.showError('answer', { onRetry });
      }
    } finally {
      if (turnAbort === abort) turnAbort = null;
      if (gen === generation) {
        // No stored answer came (an error, or a turn without a bot message): drop the draft.
        if (draft && streaming === draft) {
          draft.remove();
          streaming = null;
        }
        inFlight -= 1;
        syncTyping();
      }
    }
  }

  function enqueue(text, handle, options) {
    inFlight += 1;
    syncTyping();
    chain = chain.then(() => deliver(text, handle, options));
  }

  function retry(text, handle, feedback) {
    view.clearError();
    handle.retrying();
    enqueue(text, handle, { feedback });
  }

  return {
    start,
    get status() { return status; },
    get id() { return id; },

    /** The customer typed (active) or emptied the box: tells a queued or joined agent, throttled. */
    typing: (active) => sendTyping(active),

    /** Sends a customer message; false when there is nothing to send or no open conversation. */
    send(text, { feedback = false } = {}) {
      const clean = String(text ?? '').trim();
      if (!clean || !id || status === 'closed') return false;
      if (clean.length > MAX_MESSAGE_LENGTH) {
        view.showError('tooLong');
        return false;
      }
      view.clearChips();
      view.clearError();
      if (typingActive) sendTyping(false);
      const handle = view.addPending(clean);
      pending.push(handle);
      enqueue(clean, handle, { feedback });
      return true;
    },

    /** Drops the current conversation (kept on the server) and starts a fresh one. */
    restart() {
      generation += 1;
      stream?.close();
      stream = null;
      turnAbort?.abort();
      turnAbort = null;
      streaming = null;
      store.clear();
      log.clear();
      pending = [];
      chain = Promise.resolve();
      inFlight = 0;
      id = null;
      status = null;
      handoff = null;
      failedTurns = 0;
      agentShown = false;
      closedShown = false;
      clearTimeout(agentTypingTimer);
      typingActive = false;
      view.reset();
      return start({ fresh: true });
    },
  };
}
