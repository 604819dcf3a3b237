// 稍后处理 (snooze): the menu (until the customer replies / 1 hour / tomorrow 09:00 in the
// browser's time zone) and what the list needs to know about a snoozed chat.
import { h } from '../common/dom.js';
import { tx } from '../common/i18n.js';

/** True while `handoff` is snoozed: until a reply, or until a time still ahead of `now`. */
export function isSnoozed(handoff, now = Date.now()) {
  if (handoff?.status !== 'accepted') return false;
  if (handoff.snoozedUntilReply) return true;
  return Boolean(handoff.snoozedUntil) && new Date(handoff.snoozedUntil).getTime() > now;
}

/** Tomorrow at 09:00 local time. */
export function tomorrowNine(now = new Date()) {
  const next = new Date(now);
  next.setDate(next.getDate() + 1);
  next.setHours(9, 0, 0, 0);
  return next;
}

/** The request body of each choice. */
export function snoozeChoice(choice, now = new Date()) {
  if (choice === 'reply') return { untilReply: true };
  if (choice === 'hour') return { until: new Date(now.getTime() + 3_600_000).toISOString() };
  return { until: tomorrowNine(now).toISOString() };
}

const CHOICES = [['reply', 'snooze.untilReply'], ['hour', 'snooze.hour'], ['tomorrow', 'snooze.tomorrow']];

/**
 * A menu under `button`: click or Alt+M opens it, ↑/↓ move, Enter picks, Esc closes.
 * @param {{ button: HTMLButtonElement, menu: HTMLElement, onPick: (body: object) => void }} options
 */
export function createSnoozeMenu({ button, menu, onPick }) {
  const items = CHOICES.map(([choice, key]) => tx(h('button', {
    class: 'snooze-item', attrs: { type: 'button', role: 'menuitem', tabindex: '-1', 'data-testid': `snooze-${choice}` },
    on: { click: () => { close(); onPick(snoozeChoice(choice)); } },
  }), key));
  menu.replaceChildren(...items);
  menu.setAttribute('role', 'menu');

  function open() {
    if (button.hidden || button.disabled) return;
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    items[0].focus();
  }
  function close() {
    if (menu.hidden) return;
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
  }
  button.setAttribute('aria-haspopup', 'menu');
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => (menu.hidden ? open() : close()));
  menu.addEventListener('keydown', (event) => {
    if (event.isComposing || event.keyCode === 229) return;
    const index = items.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      items[(index + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length].focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      close();
      button.focus();
    }
  });
  document.addEventListener('click', (event) => {
    if (!menu.hidden && !menu.contains(event.target) && !button.contains(event.target)) close();
  });
  return { open, close, toggle: () => (menu.hidden ? open() : close()) };
}
