// The smaller parts of the chat panel: quick-reply chips, typing dots, the error box,
// the queue card, the reconnect banner and a throttled screen-reader announcer.
import { h } from '../common/dom.js';
import { t, tx } from '../common/i18n.js';

const label = (tag, cls, key, args) => tx(h(tag, { class: cls }), key, args);

export const SUGGESTIONS = ['chat.suggest.1', 'chat.suggest.2', 'chat.suggest.3', 'chat.suggest.4'];

/**
 * Chips, typing dots and the error box live after the log, inside the same scroller, so they
 * always sit under the latest message and never get announced as transcript lines.
 */
export function createExtras(container, transcript) {
  const chips = h('div', { class: 'chips', hidden: true, attrs: { role: 'group' } });
  const typing = h('div', { class: 'typing', hidden: true, attrs: { 'data-testid': 'typing' } },
    h('span', { class: 'typing-dots', attrs: { 'aria-hidden': 'true' } }, h('span'), h('span'), h('span')),
    label('span', 'sr-only', 'chat.typing'));
  // The agent typing ("客服正在输入…"): shown while pings arrive, gone after a few quiet seconds.
  const agentTyping = h('div', { class: 'typing typing--agent', hidden: true, attrs: { 'data-testid': 'agent-typing' } },
    h('span', { class: 'typing-dots', attrs: { 'aria-hidden': 'true' } }, h('span'), h('span'), h('span')),
    label('span', 'typing-label', 'chat.agentTyping'));
  const error = h('div', { class: 'error-box', hidden: true, attrs: { role: 'alert', 'data-testid': 'chat-error' } });
  container.append(chips, typing, agentTyping, error);

  /** options: [{ key, onPick, testid }]; onPick reads the text at click time, in the current language. */
  function showChips(groupKey, options) {
    transcript.change(() => {
      chips.replaceChildren();
      chips.setAttribute('aria-label', t(groupKey));
      chips.dataset.i18nAriaLabel = groupKey;
      chips.dataset.kind = groupKey;
      for (const option of options) {
        const button = label('button', 'chip', option.key);
        button.type = 'button';
        if (option.testid) button.dataset.testid = option.testid;
        button.addEventListener('click', () => {
          // Used once: disable the whole group, then send.
          for (const b of chips.querySelectorAll('button')) b.disabled = true;
          option.onPick();
        });
        chips.append(button);
      }
      chips.hidden = false;
    });
  }

  return {
    showChips,
    clearChips() {
      chips.hidden = true;
      chips.replaceChildren();
    },
    setAgentTyping(on) {
      if (agentTyping.hidden === !on) return;
      transcript.change(() => { agentTyping.hidden = !on; });
    },
    setTyping(on) {
      if (typing.hidden === !on) return;
      transcript.change(() => { typing.hidden = !on; });
    },
    /** actions: [{ key, onClick, testid }] */
    showError(key, args, actions = []) {
      transcript.change(() => {
        error.replaceChildren(label('p', 'error-text', key, args));
        const row = h('div', { class: 'error-actions' });
        for (const action of actions) {
          const button = label('button', `btn ${action.primary ? 'btn-primary' : 'btn-secondary'} btn-small`, action.key);
          button.type = 'button';
          if (action.testid) button.dataset.testid = action.testid;
          button.addEventListener('click', action.onClick);
          row.append(button);
        }
        if (actions.length) error.append(row);
        error.hidden = false;
      });
    },
    clearError() {
      error.hidden = true;
      error.replaceChildren();
    },
  };
}

/** Says things to screen readers; queue positions at most once per 30 s, latest value wins. */
export function createAnnouncer(region, minGapMs = 30000) {
  let lastAt = 0;
  let timer = null;
  let latest = null;
  const say = (text) => {
    region.textContent = '';
    // A fresh text node after a tick makes screen readers announce repeats too.
    setTimeout(() => { region.textContent = text; }, 50);
  };
  return {
    now: say,
    throttled(text) {
      latest = text;
      const wait = lastAt + minGapMs - Date.now();
      if (wait <= 0) {
        lastAt = Date.now();
        say(text);
        return;
      }
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          lastAt = Date.now();
          say(latest);
        }, wait);
      }
    },
    cancel() {
      clearTimeout(timer);
      timer = null;
    },
  };
}

/** 排队中 · 您前面还有 N 人, updated live; hidden unless the conversation is queued. */
export function createQueueCard(card, announcer, { onLeave } = {}) {
  const title = h('p', { class: 'queue-title' });
  const group = h('p', { class: 'queue-group' });
  const hint = label('p', 'queue-hint', 'chat.queue.hint');
  // Shown only when the server has an honest estimate (recent handle times, agents online).
  const eta = h('p', { class: 'queue-eta', attrs: { 'data-testid': 'queue-eta' }, hidden: true });
  const leave = onLeave
    ? label('button', 'btn btn-secondary btn-small queue-leave', 'chat.queue.leave')
    : null;
  leave?.setAttribute('type', 'button');
  leave?.setAttribute('data-testid', 'queue-leave');
  leave?.addEventListener('click', () => { leave.disabled = true; Promise.resolve(onLeave()).finally(() => { leave.disabled = false; }); });
  card.replaceChildren(h('span', { class: 'queue-spinner', attrs: { 'aria-hidden': 'true' } }),
    h('div', { class: 'queue-text' }, title, eta, group, hint), leave);
  let lastPosition;

  return {
    update(status, handoff) {
      if (status !== 'queued') {
        card.hidden = true;
        lastPosition = undefined;
        announcer.cancel();
        return;
      }
      const position = typeof handoff?.position === 'number' ? handoff.position : null;
      if (position == null) tx(title, 'chat.queue.pending');
      // position is the customer's place in line (1 = next); the card says how many are ahead.
      else if (position <= 1) tx(title, 'chat.queue.next');
      else tx(title, 'chat.queue.title', { n: position - 1 });
      card.dataset.position = position ?? '';
      const minutes = typeof handoff?.etaMinutes === 'number' ? handoff.etaMinutes : null;
      eta.hidden = minutes == null;
      if (minutes != null) tx(eta, 'chat.queue.eta', { m: minutes });
      const groupName = handoff?.skillGroupName || handoff?.skillGroup || '';
      group.textContent = groupName;
      group.hidden = !groupName;
      card.hidden = false;
      if (position !== lastPosition) {
        lastPosition = position;
        announcer.throttled(title.textContent);
      }
    },
  };
}
