// Centre pane: the selected conversation. Header with customer, channel, group and the actions
// 接入 · 转接 · 退回机器人 · 结束会话; the transcript; the reply box. A queued conversation opens
// read-only with a large 接入 button.
import { $, h } from '../common/dom.js';
import { tx, getLang } from '../common/i18n.js';
import { isSnoozed } from './snooze.js';
import { createAgentTranscript } from './transcript.js';
import { timerFor, tickTimers } from './list.js';
import { createComposer } from './composer.js';

/**
 * @param {HTMLElement} root  the detail <section>
 * @param {{ meId: () => string, slaMs: (group: string) => number, agentName?: (id: string) => string, onAccept, onTransfer, onReturn, onResolve,
 *           onSend: (mode: string, text: string) => Promise<boolean>, onBack, onRetry }} handlers
 */
/** "稍后处理至 明天 09:00" / "稍后处理 · 等待客户回复", or '' (replaceChildren would print null). */
function snoozeLabel(handoff) {
  if (!isSnoozed(handoff)) return '';
  const el = h('span', { class: 'chip-tag chip-tag--snoozed', attrs: { 'data-testid': 'detail-snoozed' } });
  if (handoff.snoozedUntilReply) return tx(el, 'snooze.waitReply');
  const until = new Date(handoff.snoozedUntil);
  const sameDay = until.toDateString() === new Date().toDateString();
  const text = until.toLocaleString(getLang() === 'zh' ? 'zh-CN' : 'en-GB', { ...(sameDay ? {} : { month: 'numeric', day: 'numeric' }), hour: '2-digit', minute: '2-digit' });
  return tx(el, 'snooze.until', { t: text });
}

export function createDetail(root, handlers) {
  const els = {
    empty: $('#detail-empty', root), body: $('#detail-body', root), title: $('#detail-title', root), meta: $('#detail-meta', root),
    accept: $('#accept-button', root), transfer: $('#transfer-button', root), back: $('#return-button', root),
    resolve: $('#resolve-button', root), notice: $('#detail-notice', root), snooze: $('#snooze-button', root),
  };
  const transcript = createAgentTranscript($('[data-testid="transcript"]', root), $('#detail-scroll', root), handlers.agentName);
  const composer = createComposer($('#reply-form', root), { onSend: (mode, text) => handlers.onSend(mode, text) });
  let handoff = null;
  let conversationStatus = null;
  let busy = false;

  const mine = () => handoff?.status === 'accepted' && handoff.agentId === handlers.meId();
  const open = () => handoff?.status === 'waiting' || handoff?.status === 'accepted';

  function render() {
    const context = handoff.context ?? {};
    els.title.replaceChildren(context.customerName ? document.createTextNode(context.customerName) : tx(h('span'), 'card.visitor'));
    els.meta.replaceChildren(
      tx(h('span', { class: 'status-badge', attrs: { 'data-status': handoff.status, 'data-testid': 'detail-status' } }), `status.${handoff.status}`),
      tx(h('span', { class: `channel channel--${context.channel ?? 'web'}` }), `channel.${context.channel ?? 'web'}`),
      tx(h('span', { class: 'muted' }), 'detail.group', { name: handoff.skillGroupName || handoff.skillGroup }),
      snoozeLabel(handoff),
      timerFor(handoff, handlers.slaMs(handoff.skillGroup), 'detail-timer'));
    els.accept.hidden = handoff.status !== 'waiting';
    els.transfer.hidden = !(handoff.status === 'waiting' || mine());
    els.back.hidden = !mine();
    els.resolve.hidden = !mine();
    els.snooze.hidden = !mine();
    for (const button of [els.accept, els.transfer, els.back, els.resolve, els.snooze]) button.disabled = busy;
    root.dataset.status = handoff.status;
    let locked = 'reply.locked';
    if (!open() || conversationStatus === 'closed') locked = 'reply.closed';
    else if (handoff.status === 'accepted' && !mine()) locked = 'detail.conflictUnknown';
    composer.setAllowed({ reply: mine() && conversationStatus !== 'closed', note: Boolean(handoff), locked });
  }

  els.accept.addEventListener('click', () => handlers.onAccept());
  els.transfer.addEventListener('click', () => handlers.onTransfer());
  els.back.addEventListener('click', () => handlers.onReturn());
  els.resolve.addEventListener('click', () => handlers.onResolve());
  $('#detail-back', root).addEventListener('click', () => handlers.onBack());

  function state(name, key) {
    root.dataset.state = name;
    els.body.hidden = name !== 'ready';
    els.empty.hidden = name === 'ready';
    if (key) tx(els.empty, key);
  }

  return {
    get handoff() { return handoff; },
    get lastSeq() { return transcript.lastSeq; },
    get messages() { return transcript.messages; },
    composer,
    canAct: { accept: () => handoff?.status === 'waiting', mine, open },
    showEmpty() { handoff = null; state('empty', 'detail.empty'); },
    showLoading() { state('loading', 'detail.loading'); },
    showLoadError() {
      state('error');
      const retry = tx(h('button', { class: 'btn btn-secondary btn-small', attrs: { type: 'button' }, on: { click: () => handlers.onRetry() } }), 'detail.retry');
      els.empty.replaceChildren(tx(h('p'), 'detail.loadError'), retry);
    },
    /** Full render for a newly selected handoff. */
    show(next, data) {
      const changed = handoff?.id !== next.id;
      handoff = next;
      conversationStatus = data.conversation?.status ?? null;
      state('ready');
      if (changed) this.clearNotice();
      transcript.reset(data.conversation?.messages ?? [], data.notes ?? []);
      composer.open(next.id, { reply: false, note: true });
      render();
    },
    /** A newer copy of the same handoff (from the stream or an action). */
    update(next) {
      if (!handoff || next.id !== handoff.id) return;
      handoff = { ...handoff, ...next };
      if (!('agentId' in next) && next.status === 'waiting') delete handoff.agentId;
      for (const key of ['snoozedUntil', 'snoozedUntilReply']) if ('status' in next && !(key in next)) delete handoff[key];
      render();
    },
    setConversationStatus(status) { conversationStatus = status; if (handoff) render(); },
    addMessages: (messages) => transcript.add(messages),
    addNote: (note) => transcript.addNote(note),
    setBusy(value) { busy = value; if (handoff) render(); },
    notice(key, args, kind = 'warn') {
      tx(els.notice, key, args);
      els.notice.dataset.kind = kind;
      els.notice.hidden = false;
    },
    clearNotice() { els.notice.hidden = true; els.notice.textContent = ''; },
    tick: () => tickTimers(els.meta),
  };
}
