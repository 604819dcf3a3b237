// Keyboard shortcuts (Chatwoot's set plus ours), matched on event.code because macOS Alt
// produces other characters, and ignored while an IME composes.
import { h } from '../common/dom.js';
import { tx } from '../common/i18n.js';

export const SHORTCUTS = [
  { code: 'KeyJ', keys: 'Alt+J', action: 'next', label: 'help.next' },
  { code: 'KeyK', keys: 'Alt+K', action: 'prev', label: 'help.prev' },
  { code: 'KeyE', keys: 'Alt+E', action: 'resolve', label: 'help.resolve' },
  { code: 'KeyT', keys: 'Alt+T', action: 'transfer', label: 'help.transfer' },
  { code: 'KeyB', keys: 'Alt+B', action: 'returnToBot', label: 'help.return' },
  { code: 'KeyL', keys: 'Alt+L', action: 'reply', label: 'help.reply' },
  { code: 'KeyP', keys: 'Alt+P', action: 'note', label: 'help.note' },
];

/** Installs the handler; `actions[name]()` runs for a matching key. `?` opens the sheet. */
export function installShortcuts(actions) {
  document.addEventListener('keydown', (event) => {
    if (event.isComposing || event.keyCode === 229) return;
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const shortcut = SHORTCUTS.find((item) => item.code === event.code);
      if (!shortcut || !actions[shortcut.action]) return;
      event.preventDefault();
      actions[shortcut.action]();
      return;
    }
    const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable]');
    if (event.key === '?' && !typing && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      actions.help?.();
    }
  });
}

/** Fills the `?` sheet. */
export function renderShortcutSheet(list) {
  const rows = [...SHORTCUTS, { keys: 'Enter', label: 'help.send' }, { keys: '?', label: 'help.help' }];
  list.replaceChildren(...rows.map((row) => h('div', { class: 'key-row' },
    h('dt', {}, h('kbd', { text: row.keys })), tx(h('dd'), row.label))));
}
