// Live presence on the open conversation (UX.md §2): "客户正在输入…", a colleague "小王 正在输入…"
// or "小王 正在查看" (collision), and our own typing and viewing pings. Nothing here is stored:
// each line fades unless a new ping refreshes it, so an indicator can never get stuck.
import { h } from '../common/dom.js';
import { tx } from '../common/i18n.js';

/** A typing line lasts this long without a new ping. */
export const TYPING_MS = 6000;
/** A "正在查看" line lasts this long; an open console re-announces itself more often. */
export const VIEWING_MS = 45_000;
const VIEWING_PING_MS = 30_000;
const TYPING_PING_MS = 3000;

/**
 * @param {HTMLElement} anchor  the line is inserted after it
 * @param {{ api: () => object, selected: () => object | null, canType: () => boolean }} deps
 */
export function createPresence(anchor, { api, selected, canType }) {
  const line = h('p', { class: 'detail-presence', hidden: true, attrs: { 'data-testid': 'presence', 'aria-live': 'polite' } });
  anchor.after(line);
  // handoffId → Map(key → { key, args, until })
  const byHandoff = new Map();
  let timer = null;
  let viewingTimer = null;
  let typingSentAt = 0;
  let typingActive = false;
  let typingFor = null;

  function render() {
    const id = selected()?.id;
    const now = Date.now();
    const entries = [...(byHandoff.get(id)?.values() ?? [])].filter((entry) => entry.until > now);
    clearTimeout(timer);
    if (entries.length) timer = setTimeout(render, Math.min(...entries.map((entry) => entry.until)) - now + 50);
    // Typing first: it is what the agent must not talk over.
    entries.sort((a, b) => Number(b.kind === 'typing') - Number(a.kind === 'typing'));
    const top = entries[0];
    line.hidden = !top;
    if (top) tx(line, top.key, top.args);
    else line.replaceChildren();
    line.dataset.kind = top?.kind ?? '';
  }

  function set(handoffId, slot, entry) {
    if (!handoffId) return;
    const slots = byHandoff.get(handoffId) ?? new Map();
    if (entry) slots.set(slot, entry);
    else slots.delete(slot);
    byHandoff.set(handoffId, slots);
    render();
  }

  function announceViewing() {
    const id = selected()?.id;
    if (id) api().viewing(id).catch(() => undefined);
  }

  return {
    /** A `typing` push from the handoff stream. */
    onTyping(data) {
      if (!data?.handoffId) return;
      const slot = data.role === 'customer' ? 'customer' : `agent:${data.agentId}`;
      const entry = data.role === 'customer'
        ? { kind: 'typing', key: 'presence.customerTyping', until: Date.now() + TYPING_MS }
        : { kind: 'typing', key: 'presence.agentTyping', args: { name: data.name ?? data.agentId }, until: Date.now() + TYPING_MS };
      set(data.handoffId, slot, data.active ? entry : null);
    },
    /** A `viewing` push: a colleague opened the chat. */
    onViewing(data) {
      if (!data?.handoffId) return;
      set(data.handoffId, `viewing:${data.agentId}`, { kind: 'viewing', key: 'presence.viewing', args: { name: data.name ?? data.agentId }, until: Date.now() + VIEWING_MS });
    },
    /** A customer message arrived: they are not typing any more. */
    customerSent(handoffId) {
      set(handoffId, 'customer', null);
    },
    /** The agent opened another chat: announce it now and every 30 s while it stays open. */
    opened() {
      if (typingActive && typingFor) api().typing(typingFor, false).catch(() => undefined);
      typingActive = false;
      clearInterval(viewingTimer);
      announceViewing();
      viewingTimer = setInterval(announceViewing, VIEWING_PING_MS);
      render();
    },
    /** The reply box changed: ping "typing" at most every 3 s, and "stopped" once when emptied. */
    input(hasText) {
      const id = selected()?.id;
      if (!id) return;
      const active = hasText && canType();
      const now = Date.now();
      if (active && typingActive && typingFor === id && now - typingSentAt < TYPING_PING_MS) return;
      if (!active && !typingActive) return;
      typingActive = active;
      typingSentAt = now;
      typingFor = id;
      api().typing(id, active).catch(() => undefined);
    },
    stop() {
      clearInterval(viewingTimer);
      clearTimeout(timer);
      byHandoff.clear();
      typingActive = false;
      render();
    },
    render,
  };
}
