// Keyboard shortcuts (Chatwoot's set plus ours), matched on event.code because macOS Alt
// produces other characters, and ignored while an IME composes.
import { h } from '../common/dom.js';
import { tx } from '../common/i18n.js';

/** Alt+<code> shortcuts. */
export const SHORTCUTS = [
  { code: 'KeyJ', keys: 'Alt+J', action: 'prev', label: 'help.prev' },
  { code: 'KeyK', keys: 'Alt+K', action: 'next', label: 'help.next' },
  { code: 'KeyE', keys: 'Alt+E', action: 'resolve', label: 'help.resolve' },
  { code: 'KeyM', keys: 'Alt+M', action: 'snooze', label: 'help.snooze' },
  { code: 'KeyT', keys: 'Alt+T', action: 'transfer', label: 'help.transfer' },
  { code: 'KeyB', keys: 'Alt+B', action: 'returnToBot', label: 'help.return' },
  { code: 'KeyL', keys: 'Alt+L', action: 'reply', label: 'help.reply' },
  { code: 'KeyP', keys: 'Alt+P', action: 'note', label: 'help.note' },
  { code: 'KeyO', keys: 'Alt+O', action: 'sidebar', label: 'help.sidebar' },
];

/** Shortcuts with Ctrl or ⌘: resolve-and-next (Ctrl+Alt+E, ⌘+⌥+E) and search (Ctrl/⌘+K). */
export const MOD_SHORTCUTS = [
  { code: 'KeyE', alt: true, keys: 'Ctrl+Alt+E / ⌘+⌥+E', action: 'resolveNext', label: 'help.resolveNext' },
  { code: 'KeyK', alt: false, keys: 'Ctrl+K / ⌘+K', action: 'search', label: 'help.search' },
];

/** Installs the handler; `actions[name]()` runs for a matching key. `?` opens the sheet. */
export function installShortcuts(actions) {
  document.addEventListener('keydown', (event) => {
    if (event.isComposing || event.keyCode === 229) return;
    const run = (shortcut) => {
      if (!shortcut || !actions[shortcut.action]) return;
      event.preventDefault();
      actions[shortcut.action]();
    };
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      run(SHORTCUTS.find((item) => item.code === event.code));
      return;
    }
    // Either Ctrl or ⌘, not both; Shift is left to the browser.
    if ((event.ctrlKey !== event.metaKey) && !event.shiftKey) {
      run(MOD_SHORTCUTS.find((item) => item.code === event.code && item.alt === event.altKey));
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
  const rows = [...SHORTCUTS, ...MOD_SHORTCUTS, { keys: '/', label: 'help.canned' }, { keys: 'Enter', label: 'help.send' }, { keys: '?', label: 'help.help' }];
  list.replaceChildren(...rows.map((row) => h('div', { class: 'key-row', attrs: { 'data-testid': 'key-row' } },
    h('dt', {}, h('kbd', { text: row.keys })), tx(h('dd'), row.label))));
}
