// The transcript in the agent view: 客户 / 机器人 / 客服 / 系统 in seq order, each with its
// channel and emotion, plus internal notes (yellow, 仅客服可见) placed by time.
import { h, clock } from '../common/dom.js';
import { tx, getLang } from '../common/i18n.js';
import { MessageLog } from '../chat/stream.js';
import { citationList } from '../chat/render.js';

const ROLES = new Set(['customer', 'bot', 'agent', 'system']);
const SHOWN_EMOTIONS = new Set(['angry', 'upset', 'anxious', 'positive']);

function item(message) {
  const role = ROLES.has(message.role) ? message.role : 'system';
  return h('li', { class: `t-msg t-msg--${role}`, attrs: { 'data-role': role, 'data-seq': message.seq, 'data-at': message.at } },
    h('div', { class: 't-head' },
      tx(h('span', { class: 't-role' }), `role.${role}`),
      message.channel && message.channel !== 'web' ? tx(h('span', { class: 'chip-tag' }), `channel.${message.channel}`) : null,
      SHOWN_EMOTIONS.has(message.emotion)
        ? tx(h('span', { class: 'chip-tag chip-tag--emotion', attrs: { 'data-testid': 'message-emotion' } }), `emotion.${message.emotion}`)
        : null,
      h('time', { class: 't-time', attrs: { datetime: message.at }, text: clock(message.at, getLang()) })),
    h('p', { class: 't-text', text: message.text ?? '' }),
    role === 'bot' && Array.isArray(message.citations) && message.citations.length ? citationList(message.citations) : null);
}

function noteItem(note, agentName) {
  return h('li', { class: 't-msg t-msg--note', attrs: { 'data-role': 'note', 'data-at': note.at, 'data-testid': 'note' } },
    h('div', { class: 't-head' },
      tx(h('span', { class: 't-role' }), 'role.note'),
      h('span', { class: 't-name', text: agentName(note.agentId) }),
      h('time', { class: 't-time', attrs: { datetime: note.at }, text: clock(note.at, getLang()) })),
    h('p', { class: 't-text', text: note.text }));
}

/**
 * @param {HTMLElement} listEl  the <ol data-testid="transcript">
 * @param {HTMLElement} scroller  the element that scrolls
 * @param {(id: string) => string} [agentName]  display name of a colleague ("小王", not "xiaowang")
 */
export function createAgentTranscript(listEl, scroller, agentName = (id) => id) {
  const log = new MessageLog();
  const notes = new Set();
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
  // A growing reply box shrinks the transcript; a reader at the end stays at the end.
  let pinned = true;
  scroller.addEventListener('scroll', () => { pinned = nearBottom(); });
  new ResizeObserver(() => { if (pinned) scroller.scrollTop = scroller.scrollHeight; }).observe(scroller);

  function insert(node) {
    // Notes carry no seq: place every node by time, messages of equal time by seq.
    const at = node.dataset.at ?? '';
    const after = [...listEl.children].find((el) => (el.dataset.at ?? '') > at);
    listEl.insertBefore(node, after ?? null);
  }

  return {
    get lastSeq() { return log.lastSeq; },
    get messages() { return [...log.bySeq.values()].sort((a, b) => a.seq - b.seq); },

    reset(messages = [], noteList = []) {
      log.clear();
      notes.clear();
      listEl.replaceChildren(...log.addAll(messages).map(item));
      for (const note of noteList) this.addNote(note, false);
      scroller.scrollTop = scroller.scrollHeight;
    },

    /** Adds messages not seen yet; returns them. */
    add(messages) {
      const fresh = log.addAll(messages);
      const stick = nearBottom();
      for (const message of fresh) insert(item(message));
      if (fresh.length && stick) scroller.scrollTop = scroller.scrollHeight;
      return fresh;
    },

    addNote(note, scroll = true) {
      const key = `${note.at}|${note.text}`;
      if (notes.has(key)) return;
      notes.add(key);
      insert(noteItem(note, agentName));
      if (scroll) scroller.scrollTop = scroller.scrollHeight;
    },
  };
}
