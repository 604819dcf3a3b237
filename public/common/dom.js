// Tiny DOM helpers. Text always goes in through textContent / createTextNode, never innerHTML.

/**
 * Creates an element.
 * props: { class, text, i18n, args, attrs: {name: value}, data: {key: value}, on: {event: fn}, hidden }
 * children: nodes, strings (become text nodes), or falsy values (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text != null) el.textContent = String(props.text);
  if (props.i18n) {
    el.dataset.i18n = props.i18n;
    if (props.args) el.dataset.i18nArgs = JSON.stringify(props.args);
  }
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === false || value == null) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [key, value] of Object.entries(props.data ?? {})) {
    if (value != null) el.dataset[key] = String(value);
  }
  for (const [type, fn] of Object.entries(props.on ?? {})) el.addEventListener(type, fn);
  if (props.hidden) el.hidden = true;
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** document.querySelector shorthand that fails loudly when the page is missing a part. */
export function $(selector, root = document) {
  const el = root.querySelector(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

/** "14:05" in the viewer's locale, or '' for a bad date. */
export function clock(iso, lang) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return d.toLocaleTimeString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** "02:15" or "1:02:15" for a duration in milliseconds. */
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, '0');
  const ss = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * Wires Enter-to-send on a textarea: Enter sends, Shift+Enter inserts a newline, and nothing is
 * sent while an IME is composing (Chinese IMEs use Enter to commit the pinyin candidate).
 */
export function onEnterSend(textarea, send) {
  let composing = false;
  textarea.addEventListener('compositionstart', () => { composing = true; });
  textarea.addEventListener('compositionend', () => {
    // Some browsers fire keydown(Enter) right after compositionend; wait a tick.
    setTimeout(() => { composing = false; }, 0);
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.isComposing || composing || event.keyCode === 229) return;
    event.preventDefault();
    send();
  });
}

/** Grows a textarea with its content up to its CSS max-height, without layout jumps elsewhere. */
export function autoGrow(textarea) {
  const fit = () => {
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
  };
  textarea.addEventListener('input', fit);
  return fit;
}
