// UI language: zh or en. Chosen from localStorage, then navigator.language, then <html lang>.
// Elements carry data-i18n="key" (+ data-i18n-args='{"n":3}'); setLang() re-translates the page.
// Attributes: data-i18n-aria-label, data-i18n-placeholder, data-i18n-title hold keys too.

const STORAGE_KEY = 'kefu.lang';
const ATTRS = ['aria-label', 'placeholder', 'title'];

let dict = { zh: {}, en: {} };
let lang = 'zh';
const listeners = new Set();

function normalize(value) {
  if (!value) return null;
  const v = String(value).toLowerCase();
  if (v.startsWith('zh')) return 'zh';
  if (v.startsWith('en')) return 'en';
  return null;
}

function readStored() {
  try { return normalize(localStorage.getItem(STORAGE_KEY)); } catch { return null; }
}

export function detectLang() {
  // The widget's host page says which language it speaks: ?lang= on the embedded chat.
  const fromHost = normalize(new URLSearchParams(location.search).get('lang'));
  if (fromHost) return fromHost;
  const stored = readStored();
  if (stored) return stored;
  const fromNavigator = normalize(navigator.language) ?? normalize(navigator.languages?.[0]);
  if (fromNavigator) return fromNavigator;
  // A browser in another language: follow the page's own language.
  return normalize(document.documentElement.lang) ?? 'zh';
}

/** Loads the page's strings and applies the detected language. */
export function initI18n(strings) {
  dict = strings;
  lang = detectLang();
  apply();
  return lang;
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  const value = normalize(next) ?? 'zh';
  try { localStorage.setItem(STORAGE_KEY, value); } catch { /* private mode: keep it for this page */ }
  if (value === lang) return;
  lang = value;
  apply();
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Looks a key up in the current language and fills {name} placeholders. */
export function t(key, args = {}, forLang = lang) {
  const template = dict[forLang]?.[key] ?? dict.zh?.[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (args[name] != null ? String(args[name]) : ''));
}

/** Sets an element's text to a translated key and remembers the key for language switches. */
export function tx(el, key, args) {
  el.dataset.i18n = key;
  if (args) el.dataset.i18nArgs = JSON.stringify(args);
  else delete el.dataset.i18nArgs;
  el.textContent = t(key, args);
  return el;
}

/** Sets a translated attribute (aria-label, placeholder, title) and remembers its key. */
export function txAttr(el, attr, key, args) {
  el.dataset[attrDataKey(attr)] = key;
  if (args) el.dataset[`${attrDataKey(attr)}Args`] = JSON.stringify(args);
  el.setAttribute(attr, t(key, args));
  return el;
}

function attrDataKey(attr) {
  // aria-label -> i18nAriaLabel (data-i18n-aria-label)
  return `i18n${attr.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('')}`;
}

function parseArgs(raw) {
  if (!raw) return undefined;
  try { return JSON.parse(raw); } catch { return undefined; }
}

/** Re-translates every marked element under root. */
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n, parseArgs(el.dataset.i18nArgs));
  }
  for (const attr of ATTRS) {
    const key = attrDataKey(attr);
    const selector = `[data-i18n-${attr}]`;
    for (const el of root.querySelectorAll(selector)) {
      el.setAttribute(attr, t(el.dataset[key], parseArgs(el.dataset[`${key}Args`])));
    }
  }
}

function apply() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  if (dict[lang]?.['doc.title']) document.title = t('doc.title');
  translate(document);
}

/**
 * Wires a 中文/EN toggle button: it shows the language you would switch to.
 */
export function bindLangToggle(button) {
  const render = () => {
    button.textContent = lang === 'zh' ? 'EN' : '中文';
    button.setAttribute('lang', lang === 'zh' ? 'en' : 'zh-CN');
    button.setAttribute('aria-label', lang === 'zh' ? 'Switch to English' : '切换到中文');
  };
  button.addEventListener('click', () => setLang(lang === 'zh' ? 'en' : 'zh'));
  onLangChange(render);
  render();
}
