// Right pane, top: the handoff context panel (UX.md §2): why, the AI summary, intent, emotion
// with its trend, customer, tags, failed turns, time in queue, and the KB entries the bot cited
// with 插入, and the customer's earlier conversations with their last CSAT. Everything is text
// through textContent: customer and KB text is data, not markup.
import { h, duration } from '../common/dom.js';
import { t, tx, getLang } from '../common/i18n.js';
import { reasonOf } from './list.js';

const label = (tag, cls, key, args) => tx(h(tag, { class: cls }), key, args);
const fact = (key, ...value) => h('div', { class: 'fact' }, label('dt', 'fact-name', key), h('dd', { class: 'fact-value' }, ...value));

function emotionChip(emotion) {
  return tx(h('span', { class: `chip-tag chip-tag--emotion-${emotion}`, attrs: { 'data-testid': 'context-emotion' } }), `emotion.${emotion}`);
}

/**
 * @param {HTMLElement} root
 * @param {{ handoff: object, conversation: object | null, notesCount: number, rating: object | null, history?: object[] | null, onInsert: (text: string, citation: object) => void, kbAnswer: (entryId: string) => Promise<string | null> }} data
 */
export function renderContext(root, { handoff, conversation, rating, history = null, onInsert, kbAnswer }) {
  const context = handoff.context ?? {};
  const [reasonKey, reasonArgs] = reasonOf(handoff);
  const messages = conversation?.messages ?? [];
  const trend = messages.filter((m) => m.role === 'customer' && m.emotion).map((m) => m.emotion).slice(-5);
  const customer = conversation?.customer ?? {};
  const tags = Array.isArray(context.customerTags) ? context.customerTags : [];
  const queued = handoff.acceptedAt ? Date.parse(handoff.acceptedAt) - Date.parse(handoff.createdAt) : Date.now() - Date.parse(handoff.createdAt);

  const facts = [
    fact('context.why', label('span', 'reason-text', reasonKey, reasonArgs),
      context.triggerMessage ? h('q', { class: 'trigger', attrs: { 'data-testid': 'context-trigger' }, text: context.triggerMessage }) : null),
  ];
  if (context.intent) {
    facts.push(fact('context.intent', label('span', 'chip-tag', `intent.${context.intent}`),
      typeof context.confidence === 'number' ? label('span', 'muted', 'context.confidence', { p: Math.round(context.confidence * 100) }) : null));
  }
  facts.push(fact('context.emotion', context.emotion ? emotionChip(context.emotion) : label('span', 'muted', 'emotion.neutral'),
    trend.length > 1 ? h('span', { class: 'muted trend' }, label('span', '', 'context.trend'), ' ', trend.map((e) => t(`emotion.${e}`)).join(' → ')) : null));
  facts.push(fact('context.customer', h('span', { text: customer.name || customer.id || '—' })));
  facts.push(fact('context.tags', tags.length ? h('span', { class: 'tag-row' }, tags.map((tag) => h('span', { class: `chip-tag${tag === 'vip' ? ' chip-tag--vip' : ''}`, text: tag })))
    : label('span', 'muted', 'context.none')));
  facts.push(fact('context.channel', context.lang ? label('span', '', `lang.${context.lang}`) : null, ' · ', label('span', '', `channel.${context.channel ?? 'web'}`)));
  facts.push(fact('context.failed', h('span', { text: String(context.failedTurns ?? 0) })));
  facts.push(fact('context.queue', h('span', { text: duration(Math.max(0, queued)) })));
  if (rating) facts.push(fact('context.rating', h('span', { class: 'rating', text: `${'★'.repeat(rating.score)}${'☆'.repeat(5 - rating.score)}` }), rating.comment ? h('q', { text: rating.comment }) : null));

  const citations = Array.isArray(context.citations) ? context.citations : [];
  const kb = citations.length
    ? h('ul', { class: 'kb-list' }, citations.map((c) => h('li', { class: 'kb-item', attrs: { 'data-testid': 'cited-entry', 'data-entry-id': c.entryId ?? '' } },
      h('span', { class: 'kb-title', text: c.title || c.entryId }),
      h('span', { class: 'kb-meta' }, h('code', { text: c.entryId ?? '' }), ' · ', label('span', '', 'chat.kbVersion', { v: c.kbVersion ?? '?' })),
      tx(h('button', {
        class: 'btn btn-link btn-small',
        attrs: { type: 'button', 'data-testid': 'cited-insert' },
        on: { click: async () => { const text = await kbAnswer(c.entryId); if (text) onInsert(text, c); } },
      }), 'kb.insert'))))
    : label('p', 'muted', 'context.noKb');

  root.replaceChildren(
    h('h4', { class: 'summary-title' }, label('span', '', 'context.summary'), label('span', 'ai-tag', 'context.ai')),
    h('p', { class: 'summary-text', attrs: { 'data-testid': 'summary-text' }, text: handoff.summary || '—' }),
    h('dl', { class: 'facts' }, facts),
    label('h4', 'kb-heading', 'context.kb'),
    kb,
    ...(history ? [label('h4', 'kb-heading', 'history.title'), renderHistory(history)] : []),
  );
}

const stars = (score) => `${'★'.repeat(score)}${'☆'.repeat(5 - score)}`;

/** 历史会话: date, how it ended, the first question and the last CSAT, newest first. */
function renderHistory(items) {
  if (!items.length) return label('p', 'muted', 'history.none');
  return h('ul', { class: 'kb-list', attrs: { 'data-testid': 'history' } }, items.map((item) => h('li', { class: 'kb-item', attrs: { 'data-testid': 'history-item', 'data-conversation-id': item.id } },
    h('span', { class: 'kb-meta' }, h('span', { text: new Date(item.createdAt).toLocaleDateString(getLang() === 'zh' ? 'zh-CN' : 'en-GB') }), ' · ',
      label('span', '', `history.status.${item.status}`), item.handoff ? h('span', { text: ` · ${item.handoff.skillGroupName ?? item.handoff.skillGroup}` }) : null),
    item.firstQuestion ? h('span', { class: 'kb-title', text: item.firstQuestion }) : label('span', 'kb-title muted', 'history.noQuestion'),
    item.rating
      ? h('span', { class: 'rating', attrs: { 'data-testid': 'history-rating', 'aria-label': `${item.rating.score}/5` }, text: stars(item.rating.score) },
        item.rating.comment ? h('q', { text: item.rating.comment }) : null)
      : label('span', 'muted', 'history.noRating'))));
}
