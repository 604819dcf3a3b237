// The reply box: tabs 回复 / 内部备注 (note mode is yellow and says 仅客服可见), Enter sends,
// Shift+Enter breaks the line, nothing is sent while an IME composes, and 插入 puts KB text at
// the cursor. Each conversation keeps its own draft.
import { $, onEnterSend, autoGrow } from '../common/dom.js';
import { tx, txAttr } from '../common/i18n.js';

/**
 * @param {HTMLFormElement} form
 * @param {{ onSend: (mode: 'reply' | 'note', text: string) => Promise<boolean> }} handlers
 */
export function createComposer(form, { onSend }) {
  const input = $('#reply-input', form);
  const send = $('#reply-send', form);
  const tabs = [...form.querySelectorAll('.reply-tab')];
  const fit = autoGrow(input);
  const drafts = new Map();
  let mode = 'reply';
  let canReply = false;
  let canNote = false;
  let lockedKey = 'reply.locked';
  let sending = false;
  let key = null;

  function refresh() {
    const open = mode === 'note' ? canNote : canReply;
    input.disabled = !open;
    send.disabled = !open || sending || input.value.trim() === '';
    form.dataset.mode = mode;
    tx(send, mode === 'note' ? 'note.send' : 'reply.send');
    let placeholder = mode === 'note' ? 'note.placeholder' : 'reply.placeholder';
    if (!open) placeholder = lockedKey;
    txAttr(input, 'placeholder', placeholder);
    for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.dataset.mode === mode));
  }

  async function submit() {
    const text = input.value.trim();
    if (!text || sending || input.disabled) return;
    sending = true;
    refresh();
    const ok = await onSend(mode, text);
    sending = false;
    if (ok && input.value.trim() === text) {
      input.value = '';
      drafts.delete(key);
      fit();
    }
    refresh();
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  onEnterSend(input, submit);
  input.addEventListener('input', () => { drafts.set(key, input.value); refresh(); });
  for (const tab of tabs) tab.addEventListener('click', () => api.setMode(tab.dataset.mode));

  const api = {
    get mode() { return mode; },
    setMode(next) {
      mode = next === 'note' ? 'note' : 'reply';
      refresh();
      if (!input.disabled) input.focus();
    },
    /** Switches to another conversation's draft. */
    open(conversationKey, { reply, note }) {
      if (key !== conversationKey) {
        key = conversationKey;
        input.value = drafts.get(key) ?? '';
        mode = 'reply';
        fit();
      }
      canReply = reply;
      canNote = note;
      refresh();
    },
    /** `locked`: the i18n key saying why replies are off (queued, ended, another agent's). */
    setAllowed({ reply, note, locked = 'reply.locked' }) {
      canReply = reply;
      canNote = note;
      lockedKey = locked;
      refresh();
    },
    /** Inserts text at the cursor (replacing a selection), keeping the rest of the draft. */
    insert(text) {
      if (mode === 'reply' && !canReply && canNote) mode = 'note';
      if (input.disabled) return false;
      const start = input.selectionStart ?? input.value.length;
      const end = input.selectionEnd ?? start;
      input.setRangeText(text, start, end, 'end');
      drafts.set(key, input.value);
      fit();
      refresh();
      input.focus();
      return true;
    },
    focus() { if (!input.disabled) input.focus(); },
  };
  refresh();
  return api;
}
