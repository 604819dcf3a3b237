// Left pane: tabs 我的 / 排队中 / 全部 with counts, a skill-group filter, and the cards with wait
// timers that turn amber at half the group's SLA and red past it.
import { h, clock, duration } from '../common/dom.js';
import { tx, getLang } from '../common/i18n.js';
import { isSnoozed } from './snooze.js';

export const TABS = ['mine', 'waiting', 'all'];
const SHOWN_EMOTIONS = new Set(['angry', 'upset', 'anxious']);

/** [i18n key, args] describing why the conversation was handed off. */
export function reasonOf(handoff) {
  switch (handoff.reason) {
    case 'asked': return ['reason.asked'];
    case 'failed_turns': return ['reason.failed_turns', { n: handoff.context?.failedTurns ?? '?' }];
    case 'emotion': case 'intent': case 'vip': return [`reason.${handoff.reason}`];
    default: return ['reason.other'];
  }
}

const time = (iso) => new Date(iso ?? 0).getTime() || 0;
const live = (x) => x.status === 'waiting' || x.status === 'accepted';

/** Which handoffs a tab shows, in its order: mine by accept time, queued by priority then wait. */
export function visibleIn(tab, handoffs, meId) {
  let list;
  if (tab === 'mine') list = handoffs.filter((x) => x.status === 'accepted' && x.agentId === meId);
  else if (tab === 'waiting') list = handoffs.filter((x) => x.status === 'waiting');
  else list = [...handoffs];
  return list.sort((a, b) => {
    if (tab === 'waiting') return (b.priority ?? 0) - (a.priority ?? 0) || time(a.createdAt) - time(b.createdAt);
    if (tab === 'mine') return time(a.acceptedAt) - time(b.acceptedAt);
    return Number(live(b)) - Number(live(a)) || time(b.resolvedAt ?? b.acceptedAt ?? b.createdAt) - time(a.resolvedAt ?? a.acceptedAt ?? a.createdAt);
  });
}

/** The status filter: '' everything, 'open' live and awake, 'snoozed' 稍后处理, 'resolved' ended. */
export function matchesStatus(handoff, filter, now = Date.now()) {
  if (filter === 'open') return live(handoff) && !isSnoozed(handoff, now);
  if (filter === 'snoozed') return isSnoozed(handoff, now);
  if (filter === 'resolved') return !live(handoff);
  return true;
}

/** 最新消息: the newest customer message (or accept / handoff time) first; 等待最久 keeps the tab's order. */
export function sortBy(list, sort) {
  if (sort !== 'latest') return list;
  const latest = (x) => Math.max(time(x.lastCustomerAt), time(x.acceptedAt), time(x.createdAt));
  return [...list].sort((a, b) => latest(b) - latest(a));
}

/** Updates every live timer on the page (once a second); SLA timers colour by their own limit. */
export function tickTimers(root = document, now = Date.now()) {
  for (const el of root.querySelectorAll('[data-since]')) {
    const elapsed = now - time(el.dataset.since);
    tx(el, el.dataset.timerKey, { t: duration(elapsed) });
    const sla = Number(el.dataset.slaMs);
    if (sla > 0) {
      el.classList.toggle('is-amber', elapsed >= sla / 2 && elapsed < sla);
      el.classList.toggle('is-red', elapsed >= sla);
    }
  }
}

/**
 * A timer element for a handoff: "客户已等待" since the oldest message no agent answered, against
 * the group's first-response target; else waiting time, or time since accepted.
 */
export function timerFor(handoff, slaMs, cls = 'card-timer') {
  const el = h('span', { class: cls });
  if (live(handoff) && handoff.customerWaitingSince) {
    el.dataset.since = handoff.customerWaitingSince;
    el.dataset.timerKey = 'sla.customerWaited';
    el.dataset.slaMs = String(slaMs);
    el.dataset.testid = 'customer-wait';
    tickTimers({ querySelectorAll: () => [el] });
  } else if (live(handoff)) {
    const waiting = handoff.status === 'waiting';
    el.dataset.since = waiting ? handoff.createdAt : (handoff.acceptedAt ?? handoff.createdAt);
    el.dataset.timerKey = waiting ? 'card.waited' : 'card.active';
    el.dataset.slaMs = waiting ? String(slaMs) : '0';
    tickTimers({ querySelectorAll: () => [el] });
  } else {
    tx(el, 'card.ended', { t: clock(handoff.resolvedAt ?? handoff.createdAt, getLang()) });
  }
  return el;
}

const chip = (cls, key, args) => tx(h('span', { class: `chip-tag ${cls}` }), key, args);

function card(handoff, { selected, meId, slaMs, onSelect, agentName }) {
  const context = handoff.context ?? {};
  const [reasonKey, reasonArgs] = reasonOf(handoff);
  const name = context.customerName;
  const tags = context.customerTags ?? [];
  const emotion = SHOWN_EMOTIONS.has(context.emotion) ? context.emotion : null;
  const snoozed = isSnoozed(handoff);
  return h('li', { class: 'card-item' }, h('button', {
    class: `card${selected ? ' is-selected' : ''}${handoff.status === 'waiting' ? ' is-waiting' : ''}${snoozed ? ' is-snoozed' : ''}`,
    attrs: { type: 'button', 'data-testid': 'handoff-card', 'data-handoff-id': handoff.id, 'data-status': handoff.status, 'aria-current': selected ? 'true' : null },
    on: { click: () => onSelect(handoff.id) },
  },
  h('span', { class: 'card-top' },
    name ? h('span', { class: 'card-name', text: name }) : tx(h('span', { class: 'card-name' }), 'card.visitor'),
    tx(h('span', { class: `channel channel--${context.channel ?? 'web'}` }), `channel.${context.channel ?? 'web'}`),
    timerFor(handoff, slaMs)),
  h('span', { class: 'card-last' },
    handoff.unread ? h('span', { class: 'unread-dot', attrs: { 'data-testid': 'unread-dot' } }, tx(h('span', { class: 'sr-only' }), 'card.unread')) : null,
    handoff.lastCustomerText ?? context.triggerMessage ?? ''),
  h('span', { class: 'card-tags' },
    h('span', { class: 'chip-tag chip-tag--group', text: handoff.skillGroupName || handoff.skillGroup }),
    chip(`chip-tag--${handoff.reason}`, reasonKey, reasonArgs),
    context.intent ? chip('chip-tag--intent', `intent.${context.intent}`) : null,
    emotion ? chip('chip-tag--emotion', `emotion.${emotion}`) : null,
    tags.includes('vip') ? h('span', { class: 'chip-tag chip-tag--vip', text: 'VIP' }) : null,
    snoozed ? h('span', { class: 'chip-tag chip-tag--snoozed', attrs: { 'data-testid': 'snoozed-chip' } }, tx(h('span'), 'status.snoozed')) : null,
    handoff.status === 'waiting' && handoff.suggestedAgentId === meId ? chip('chip-tag--suggested', 'card.suggested') : null,
    handoff.status === 'accepted' && handoff.agentId !== meId ? chip('', 'card.by', { name: agentName(handoff.agentId) }) : null,
    handoff.status !== 'waiting' && handoff.status !== 'accepted' ? chip(`chip-tag--status-${handoff.status}`, `status.${handoff.status}`) : null)));
}

/**
 * @param {{ tablist: HTMLElement, listEl: HTMLElement, emptyEl: HTMLElement, onSelect: (id: string) => void, onTab: (tab: string) => void }} els
 */
export function createList({ tablist, listEl, emptyEl, onSelect, onTab }) {
  let tab = 'waiting';
  const buttons = new Map();
  const counts = new Map();
  for (const name of TABS) {
    const count = h('span', { class: 'tab-count', text: '0' });
    counts.set(name, count);
    const button = h('button', {
      class: 'tab',
      attrs: { type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': 'handoff-list', 'data-testid': `tab-${name}` },
      on: { click: () => select(name, true) },
    }, tx(h('span', { class: 'tab-label' }), `tab.${name}`), count);
    buttons.set(name, button);
    tablist.append(button);
  }
  tablist.addEventListener('keydown', (event) => {
    const index = TABS.indexOf(tab);
    const next = { ArrowRight: TABS[(index + 1) % 3], ArrowLeft: TABS[(index + 2) % 3], Home: TABS[0], End: TABS[2] }[event.key];
    if (!next) return;
    event.preventDefault();
    select(next, true);
    buttons.get(next).focus();
  });
  function select(name, fromUser) {
    tab = name;
    for (const [key, button] of buttons) {
      button.setAttribute('aria-selected', String(key === name));
      button.tabIndex = key === name ? 0 : -1;
    }
    listEl.closest('[role="tabpanel"]')?.setAttribute('aria-labelledby', `tab-${name}`);
    if (fromUser) onTab(name);
  }
  select('waiting', false);

  return {
    get tab() { return tab; },
    setTab(name) { select(name, false); },
    /** options: { selectedId, meId, slaMs(group) → ms, agentName(id) → string, statusFilter?, sort? } */
    render(handoffs, options) {
      for (const name of TABS) counts.get(name).textContent = String(visibleIn(name, handoffs, options.meId).length);
      const focusedId = document.activeElement?.closest?.('[data-handoff-id]')?.dataset.handoffId;
      const shown = sortBy(visibleIn(tab, handoffs, options.meId).filter((x) => matchesStatus(x, options.statusFilter ?? '')), options.sort);
      listEl.replaceChildren(...shown.map((handoff) => card(handoff, {
        ...options, selected: handoff.id === options.selectedId, slaMs: options.slaMs(handoff.skillGroup), onSelect,
      })));
      emptyEl.hidden = shown.length > 0;
      tx(emptyEl, `list.empty.${tab}`);
      if (focusedId) listEl.querySelector(`[data-handoff-id="${CSS.escape(focusedId)}"]`)?.focus();
      return shown;
    },
  };
}
