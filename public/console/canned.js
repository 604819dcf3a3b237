// Canned responses (快捷回复): `/` at the start of the draft or after a space opens a picker that
// searches the short code and the text, previews the highlighted one, ↑/↓ + Enter (or a click)
// inserts it in place of the typed `/query` with {{customer.name}} / {{agent.name}} filled,
// keeping the rest of the draft; Esc closes. Keys are ignored while an IME composes.
import { h } from '../common/dom.js';
import { t } from '../common/i18n.js';

const MAX_SHOWN = 8;

/** Fills the variables the console knows; unknown ones stay as written. */
export function fillCanned(text, { customerName, agentName }) {
  return text
    .replace(/\{\{\s*customer\.name\s*\}\}/g, customerName ?? '')
    .replace(/\{\{\s*agent\.name\s*\}\}/g, agentName ?? '');
}

/** Responses matching `query` on the code (prefix first) or in either language's text. */
export function searchCanned(responses, query) {
  const q = query.trim().toLowerCase();
  if (!q) return responses.slice();
  const score = (item) => {
    if (item.code.startsWith(q)) return 0;
    if (item.code.includes(q)) return 1;
    if (item.text.zh.toLowerCase().includes(q) || item.text.en.toLowerCase().includes(q)) return 2;
    return -1;
  };
  return responses.map((item) => ({ item, rank: score(item) })).filter((x) => x.rank >= 0).sort((a, b) => a.rank - b.rank).map((x) => x.item);
}

/**
 * @param {{ form: HTMLFormElement, input: HTMLTextAreaElement, load: () => Promise<any[]>,
 *   lang: () => 'zh' | 'en', vars: () => { customerName?: string, agentName?: string },
 *   onInserted?: () => void }} options
 */
export function createCannedPicker({ form, input, load, lang, vars, onInserted }) {
  let responses = null;
  let loading = null;
  let matches = [];
  let active = 0;
  let start = -1; // index of the `/` in the draft
  let suppress = false;
  const list = h('ul', { class: 'canned-list', attrs: { role: 'listbox', id: 'canned-list', 'data-testid': 'canned-list' } });
  const preview = h('div', { class: 'canned-preview', attrs: { 'data-testid': 'canned-preview', 'aria-live': 'polite' } });
  const title = h('p', { class: 'canned-title' });
  const empty = h('p', { class: 'canned-empty', hidden: true });
  const panel = h('div', { class: 'canned', attrs: { 'data-testid': 'canned-picker' }, hidden: true }, title, h('div', { class: 'canned-body' }, list, preview), empty);
  form.prepend(panel);

  const textOf = (item) => item.text[lang()] ?? item.text.zh;

  function ensureLoaded() {
    if (responses || loading) return;
    loading = load().then((items) => { responses = items ?? []; }, () => { responses = []; }).finally(() => { loading = null; if (isOpen()) refresh(); });
  }

  const isOpen = () => !panel.hidden;

  function close() {
    panel.hidden = true;
    start = -1;
    input.removeAttribute('aria-activedescendant');
    input.setAttribute('aria-expanded', 'false');
  }

  /** The `/query` being typed before the cursor, or null. */
  function trigger() {
    const caret = input.selectionStart ?? input.value.length;
    if (input.selectionEnd !== caret) return null;
    const before = input.value.slice(0, caret);
    const slash = before.lastIndexOf('/');
    if (slash < 0) return null;
    if (slash > 0 && !/\s/.test(before[slash - 1])) return null;
    const query = before.slice(slash + 1);
    if (/\s/.test(query) && query.length > 24) return null;
    if (/\n/.test(query)) return null;
    return { slash, query };
  }

  function refresh() {
    const found = trigger();
    if (!found) { close(); return; }
    start = found.slash;
    ensureLoaded();
    panel.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    input.setAttribute('aria-controls', 'canned-list');
    title.textContent = t('canned.title');
    matches = responses ? searchCanned(responses, found.query).slice(0, MAX_SHOWN) : [];
    active = Math.min(active, Math.max(matches.length - 1, 0));
    empty.hidden = matches.length > 0;
    empty.textContent = responses ? t('canned.none') : t('canned.loading');
    list.replaceChildren(...matches.map((item, index) => h('li', {
      class: 'canned-item',
      attrs: { role: 'option', id: `canned-${item.code}`, 'aria-selected': String(index === active), 'data-testid': 'canned-item' },
      data: { code: item.code },
      on: { mousedown: (event) => { event.preventDefault(); pick(index); }, mousemove: () => { if (active !== index) { active = index; paint(); } } },
    }, h('span', { class: 'canned-code', text: `/${item.code}` }), h('span', { class: 'canned-snippet', text: textOf(item) }))));
    paint();
  }

  function paint() {
    [...list.children].forEach((li, index) => li.setAttribute('aria-selected', String(index === active)));
    const item = matches[active];
    preview.hidden = !item;
    if (item) {
      preview.replaceChildren(h('span', { class: 'canned-set', text: item.setName?.[lang()] ?? item.set }), h('p', { text: fillCanned(textOf(item), vars()) }));
      input.setAttribute('aria-activedescendant', `canned-${item.code}`);
    }
  }

  function pick(index) {
    const item = matches[index];
    if (!item || start < 0) return;
    const caret = input.selectionStart ?? input.value.length;
    input.setRangeText(fillCanned(textOf(item), vars()), start, caret, 'end');
    close();
    suppress = true;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    suppress = false;
    input.focus();
    onInserted?.();
  }

  // Capture on the form: runs before the textarea's own Enter-to-send.
  form.addEventListener('keydown', (event) => {
    if (event.target !== input || !isOpen()) return;
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (matches.length) active = (active + (event.key === 'ArrowDown' ? 1 : -1) + matches.length) % matches.length;
      paint();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      if (!matches.length) { if (event.key === 'Enter') { event.preventDefault(); event.stopImmediatePropagation(); } return; }
      event.preventDefault();
      event.stopImmediatePropagation();
      pick(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  }, true);
  input.addEventListener('input', (event) => {
    if (event.isComposing || suppress) return;
    active = isOpen() ? active : 0;
    refresh();
  });
  input.addEventListener('compositionend', () => refresh());
  input.addEventListener('blur', () => close());
  input.addEventListener('click', () => { if (isOpen()) refresh(); });

  return { close, get open() { return isOpen(); }, reset() { responses = null; close(); } };
}
