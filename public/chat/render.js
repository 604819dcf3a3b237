// Renders the transcript: message bubbles in seq order, pending (optimistic) bubbles, dividers,
// and "new messages" handling that never yanks a reader who scrolled up.
import { h, clock } from '../common/dom.js';
import { tx, getLang } from '../common/i18n.js';

const label = (tag, cls, key, args) => tx(h(tag, { class: cls }), key, args);

/** The collapsible 参考来源 / Sources list under a bot answer. */
export function citationList(citations) {
  const items = citations.map((c) => h('li', { class: 'cite' },
    h('span', { class: 'cite-title', text: c.title || c.entryId }),
    h('span', { class: 'cite-meta' },
      Array.isArray(c.category) && c.category.length ? `${c.category.join(' › ')} · ` : '',
      label('span', 'cite-version', 'chat.kbVersion', { v: c.kbVersion ?? '?' }))));
  return h('details', { class: 'citations', attrs: { 'data-testid': 'citations' } },
    label('summary', 'citations-summary', 'chat.sources.count', { n: citations.length }),
    h('ol', { class: 'cite-list' }, items));
}

const botHead = () => h('div', { class: 'bubble-head' },
  label('span', 'ai-badge', 'chat.ai'), label('span', 'bubble-who', 'chat.role.bot'));

function bubbleFor(message) {
  const { role } = message;
  const bubble = h('div', {
    class: `bubble bubble--${role}`,
    attrs: { 'data-testid': 'msg', 'data-role': role, 'data-seq': message.seq },
  });
  if (role === 'bot') {
    bubble.append(botHead());
  } else if (role === 'agent') {
    const who = message.agentName
      ? h('span', { class: 'bubble-who', text: message.agentName })
      : label('span', 'bubble-who', 'chat.role.agent');
    bubble.append(h('div', { class: 'bubble-head' }, who));
  } else {
    bubble.append(label('span', 'sr-only', 'chat.role.customer'));
  }
  bubble.append(h('p', { class: 'msg-text', text: message.text ?? '' }));
  if (role === 'bot' && Array.isArray(message.citations) && message.citations.length) {
    bubble.append(citationList(message.citations));
  }
  return bubble;
}

/** A finished message row (bubble + time), or a centred system line. */
export function messageRow(message) {
  if (message.role === 'system') {
    return h('div', { class: 'row row--system', data: { seq: message.seq } },
      h('p', {
        class: 'sys-line',
        attrs: { 'data-testid': 'msg', 'data-role': 'system', 'data-seq': message.seq },
        text: message.text ?? '',
      }));
  }
  const time = h('time', { class: 'msg-time', attrs: { datetime: message.at }, text: clock(message.at, getLang()) });
  return h('div', { class: `row row--${message.role}`, data: { seq: message.seq } },
    h('div', { class: 'stack' }, bubbleFor(message), h('div', { class: 'msg-meta' }, time)));
}

/**
 * @param {{ log: HTMLElement, scroller: HTMLElement, jump: HTMLButtonElement }} els
 */
export function createTranscript({ log, scroller, jump }) {
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 96;

  // Whether the reader is following the end of the conversation (false once they scroll up).
  let pinned = true;

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
    pinned = true;
    jump.hidden = true;
  }

  /** Runs a DOM change, then keeps the view pinned to the end if it was there before. */
  function change(fn) {
    const stick = pinned || nearBottom();
    const result = fn();
    if (stick) scrollToEnd();
    else jump.hidden = false;
    return result;
  }

  // Stay pinned to the end when the scroller itself shrinks (queue card, keyboard, banner).
  scroller.addEventListener('scroll', () => {
    pinned = nearBottom();
    if (pinned) jump.hidden = true;
  });
  if (window.ResizeObserver) {
    new ResizeObserver(() => { if (pinned) scroller.scrollTop = scroller.scrollHeight; }).observe(scroller);
  }
  jump.addEventListener('click', () => { scrollToEnd(); });

  /**
   * Inserts a row so seq order holds; rows without seq (pending) stay last. A streaming answer
   * sits after every stored message (its own will replace it) but before pending messages,
   * which the server stores after it.
   */
  function place(row, seq) {
    let before = null;
    for (const child of log.children) {
      if (child.dataset.pending != null) { before = child; break; }
      if (seq != null && child.dataset.streaming != null) { before = child; break; }
      if (seq != null && child.dataset.seq && Number(child.dataset.seq) > seq) { before = child; break; }
    }
    log.insertBefore(row, before);
  }

  return {
    scrollToEnd,
    /** Shared by the chips / typing area, which sits after the log in the same scroller. */
    change,

    addMessage(message) {
      return change(() => {
        const row = messageRow(message);
        place(row, message.seq);
        return row;
      });
    },

    /** An optimistic customer bubble shown before the server answers. */
    addPending(text) {
      const state = label('span', 'msg-state', 'chat.pending');
      const bubble = h('div', {
        class: 'bubble bubble--customer',
        attrs: { 'data-testid': 'msg', 'data-role': 'customer', 'data-pending': 'true' },
      }, label('span', 'sr-only', 'chat.role.customer'), h('p', { class: 'msg-text', text }));
      const meta = h('div', { class: 'msg-meta' }, state);
      const row = h('div', { class: 'row row--customer is-pending', data: { pending: '' } },
        h('div', { class: 'stack' }, bubble, meta));
      let resend = null;
      // Last, after earlier pending messages too: the server stores them in the order sent.
      change(() => log.append(row));
      return {
        text,
        /** Marks it 发送失败 with a 重新发送 button; it no longer has to stay last. */
        failed(onRetry) {
          delete row.dataset.pending;
          row.classList.add('is-failed');
          tx(state, 'chat.failed');
          resend?.remove();
          resend = null;
          if (onRetry) {
            resend = label('button', 'msg-resend', 'chat.resend');
            resend.type = 'button';
            resend.dataset.testid = 'msg-resend';
            resend.addEventListener('click', onRetry);
            meta.append(resend);
          }
        },
        retrying() {
          row.classList.remove('is-failed');
          resend?.remove();
          resend = null;
          tx(state, 'chat.pending');
        },
        /** Swaps the optimistic bubble for the stored message. */
        confirm(message) {
          row.remove();
          const real = messageRow(message);
          place(real, message.seq);
          return real;
        },
        remove() { row.remove(); },
        /** The row while it is still a pending message in the log, for placing its answer after it. */
        anchor() { return row.isConnected && row.dataset.pending != null ? row : null; },
      };
    },

    /**
     * A bot answer that grows while the model writes it, under `question` (its pending handle).
     * aria-busy keeps screen readers from reading every piece; the stored message that replaces
     * it is announced once, whole.
     */
    addStreaming(question) {
      const text = h('p', { class: 'msg-text' });
      const bubble = h('div', {
        class: 'bubble bubble--bot is-streaming',
        attrs: { 'data-testid': 'msg', 'data-role': 'bot', 'data-streaming': 'true', 'aria-busy': 'true' },
      }, botHead(), text);
      const row = h('div', { class: 'row row--bot', data: { streaming: '' } },
        h('div', { class: 'stack' }, bubble));
      // Right under its question while that is still 发送中; later questions stay below it.
      const anchor = question?.anchor?.();
      change(() => (anchor ? anchor.after(row) : place(row, null)));
      return {
        /** Adds a piece of the answer; a reader who scrolled up gets 新消息 ↓ instead of a jump. */
        append(piece) {
          if (!row.isConnected || !piece) return;
          change(() => { text.append(piece); });
        },
        /** Replaces the bubble with the stored message (final text, sources, time). */
        finish(message) {
          return change(() => {
            row.remove();
            const real = messageRow(message);
            place(real, message.seq);
            return real;
          });
        },
        remove() { row.remove(); },
      };
    },

    addDivider(kind, key, args) {
      return change(() => {
        const row = h('div', { class: `divider divider--${kind}`, attrs: { 'data-testid': 'divider', 'data-kind': kind } },
          label('span', 'divider-text', key, args));
        place(row, null);
        return row;
      });
    },

    /** The role of the last finished message, for "chips only under the latest bot answer". */
    lastRole() {
      const rows = [...log.querySelectorAll('[data-testid="msg"]:not([data-pending]):not([data-streaming])')];
      return rows.at(-1)?.dataset.role ?? null;
    },

    clear() {
      log.replaceChildren();
      pinned = true;
      jump.hidden = true;
    },
  };
}
