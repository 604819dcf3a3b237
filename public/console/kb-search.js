// Right pane, bottom: KB search with one-click 插入 of an entry's answer into the reply box
// (at the cursor, with the entry's title as the source).
import { h } from '../common/dom.js';
import { tx } from '../common/i18n.js';

/**
 * @param {{ form: HTMLFormElement, input: HTMLInputElement, results: HTMLElement,
 *           search: (q: string) => Promise<{ version: number, results: object[] }>,
 *           onInsert: (text: string, entry: object) => void }} options
 */
export function createKbSearch({ form, input, results, search, onInsert }) {
  let cache = new Map();

  function show(list, version) {
    if (!list.length) {
      results.replaceChildren(tx(h('li', { class: 'muted' }), 'kb.empty'));
      return;
    }
    results.replaceChildren(...list.map((entry) => h('li', { class: 'kb-result', attrs: { 'data-testid': 'kb-result' } },
      h('div', { class: 'kb-result-head' },
        h('span', { class: 'kb-title', text: entry.title || entry.entryId }),
        h('span', { class: 'kb-meta', text: `${(entry.category ?? []).join(' › ')} · v${version} · ${Math.round((entry.confidence ?? 0) * 100)}%` })),
      h('p', { class: 'kb-answer', text: entry.answer ?? '' }),
      tx(h('button', {
        class: 'btn btn-secondary btn-small',
        attrs: { type: 'button', 'data-testid': 'kb-insert' },
        on: { click: () => onInsert(entry.answer ?? '', entry) },
      }), 'kb.insert'))));
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (!q) return;
    try {
      const response = await search(q);
      for (const entry of response.results) cache.set(entry.entryId, entry.answer);
      show(response.results, response.version);
    } catch {
      results.replaceChildren(tx(h('li', { class: 'error-text' }), 'kb.error'));
    }
  });

  return {
    /** The answer of an entry the bot cited, fetched by searching its title. */
    async answerOf(entryId, title) {
      if (cache.has(entryId)) return cache.get(entryId);
      const response = await search(title || entryId);
      for (const entry of response.results) cache.set(entry.entryId, entry.answer);
      return cache.get(entryId) ?? null;
    },
    clear() {
      input.value = '';
      results.replaceChildren();
      cache = new Map();
    },
  };
}
