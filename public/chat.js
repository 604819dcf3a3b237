// Customer chat page: wires the DOM to the conversation session.
import { $, onEnterSend, autoGrow } from './common/dom.js';
import { initI18n, t, tx, getLang, bindLangToggle } from './common/i18n.js';
import { CHAT_STRINGS } from './chat/strings.js';
import { createChatApi, MAX_MESSAGE_LENGTH } from './chat/api.js';
import { createTranscript } from './chat/render.js';
import { createExtras, createAnnouncer, createQueueCard, SUGGESTIONS } from './chat/widgets.js';
import { createSession } from './chat/session.js';
import { connectEmbed } from './chat/embed-bridge.js';
import { createRatingCard } from './chat/rating.js';

initI18n(CHAT_STRINGS);

const panel = $('#chat');
const input = $('#chat-input');
const sendButton = $('#chat-send');
const composer = $('#composer');
const counter = $('#counter');
const ended = $('#ended');
const handoffButton = $('#handoff');
const banner = $('#banner');
const subText = $('#chat-sub-text');

bindLangToggle($('#lang-toggle'));

const transcript = createTranscript({ log: $('#log'), scroller: $('#scroller'), jump: $('#jump') });
const extras = createExtras($('#extras'), transcript);
const queueCard = createQueueCard($('#queue-card'), createAnnouncer($('#announcer')), {
  // The status change and the bot's line arrive over the live stream.
  onLeave: () => createChatApi().leaveQueue(session.id).catch(() => undefined),
});
// After an agent resolves the conversation: 满意度评价 above 开始新会话.
const ratingCard = createRatingCard(ended, { rate: (score, comment) => createChatApi().rate(session.id, score, comment) });
let resolvedByAgent = false;

const ERROR_KEYS = {
  start: 'chat.error.start',
  answer: 'chat.error',
  tooLong: 'chat.error.tooLong',
  gone: 'chat.error.gone',
};
const SUBTITLES = { bot: 'chat.sub.bot', queued: 'chat.sub.queued', agent: 'chat.sub.agent', closed: 'chat.sub.closed' };

function talkToPerson() {
  session.send(t('chat.handoff.text'));
}

function showComposer(open) {
  const hadFocus = document.activeElement === input || document.activeElement === sendButton;
  composer.hidden = !open;
  ended.hidden = open;
  if (!open && hadFocus) $('#new-conversation').focus({ preventScroll: true });
}

const embed = connectEmbed({ focusInput: () => { if (!composer.hidden) input.focus({ preventScroll: true }); } });

const view = {
  addMessage: (message) => {
    if (message.role === 'system' && message.intent === 'resolved') resolvedByAgent = true;
    if (message.role !== 'customer') embed.notifyIncoming();
    return transcript.addMessage(message);
  },
  addPending: (text) => transcript.addPending(text),
  addStreaming: (question) => transcript.addStreaming(question),
  finishStreaming: (draft, message) => {
    embed.notifyIncoming();
    return draft.finish(message);
  },
  addDivider: (kind, key, args) => transcript.addDivider(kind, key, args),
  lastRole: () => transcript.lastRole(),
  setTyping: (on) => extras.setTyping(on),
  setAgentTyping: (on) => extras.setAgentTyping(on),
  clearChips: () => extras.clearChips(),
  clearError: () => extras.clearError(),

  setStatus(status, handoff) {
    panel.dataset.status = status;
    tx(subText, SUBTITLES[status] ?? 'chat.sub.bot');
    queueCard.update(status, handoff);
    handoffButton.disabled = status !== 'bot';
    showComposer(status !== 'closed');
    if (status === 'closed' && resolvedByAgent) ratingCard.show();
    else ratingCard.hide();
  },

  setConnection(state) {
    banner.hidden = state !== 'reconnecting';
  },

  showSuggestions() {
    extras.showChips('chat.suggest.label', SUGGESTIONS.map((key) => ({
      key, testid: 'suggestion', onPick: () => session.send(t(key)),
    })));
  },

  showFeedback({ offerHandoff, handoffOnly = false }) {
    const options = handoffOnly ? [] : [
      { key: 'chat.quick.helpful', testid: 'quick-helpful', onPick: () => session.send(t('chat.quick.helpful.text'), { feedback: true }) },
      { key: 'chat.quick.notHelpful', testid: 'quick-not-helpful', onPick: () => session.send(t('chat.quick.notHelpful.text'), { feedback: true }) },
    ];
    if (offerHandoff) options.push({ key: 'chat.quick.handoff', testid: 'quick-handoff', onPick: talkToPerson });
    extras.showChips(handoffOnly ? 'chat.quick.handoffLabel' : 'chat.quick.label', options);
  },

  showError(kind, { onRetry } = {}) {
    const actions = [];
    if (onRetry) actions.push({ key: 'chat.retry', testid: 'chat-retry', primary: true, onClick: onRetry });
    if (kind === 'answer' && session.status === 'bot') {
      actions.push({ key: 'chat.handoff', testid: 'error-handoff', onClick: talkToPerson });
    }
    if (kind === 'gone') {
      actions.push({ key: 'chat.newConversation', testid: 'error-new-conversation', primary: true, onClick: () => session.restart() });
    }
    extras.showError(ERROR_KEYS[kind] ?? 'chat.error', kind === 'tooLong' ? { n: MAX_MESSAGE_LENGTH } : undefined, actions);
  },

  reset() {
    resolvedByAgent = false;
    ratingCard.hide();
    transcript.clear();
    extras.clearChips();
    extras.clearError();
    extras.setTyping(false);
    extras.setAgentTyping(false);
    queueCard.update(null, null);
    banner.hidden = true;
    panel.dataset.status = 'loading';
    handoffButton.disabled = true;
    showComposer(true);
  },
};

// The view's callbacks refer to `session` lazily; nothing runs until start().
const session = createSession({ api: createChatApi(), view, getLang });

// Composer: Enter sends, Shift+Enter breaks the line, IME composition never sends.
const fit = autoGrow(input);

function refreshComposer() {
  const length = input.value.length;
  sendButton.disabled = input.value.trim() === '';
  const near = length > MAX_MESSAGE_LENGTH - 500;
  counter.hidden = !near;
  if (near) tx(counter, 'chat.counter', { n: length, max: MAX_MESSAGE_LENGTH });
}

function submit() {
  if (session.send(input.value)) {
    input.value = '';
    fit();
    refreshComposer();
  }
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});
onEnterSend(input, submit);
input.addEventListener('input', refreshComposer);
input.addEventListener('input', () => session.typing(input.value.trim() !== ''));
handoffButton.addEventListener('click', talkToPerson);
$('#new-conversation').addEventListener('click', () => {
  session.restart().then(() => {
    if (!composer.hidden) input.focus({ preventScroll: true });
  });
});

// Mobile: keep the composer above the on-screen keyboard.
if (window.visualViewport) {
  const root = document.documentElement;
  const sync = () => root.style.setProperty('--viewport-height', `${Math.round(window.visualViewport.height)}px`);
  window.visualViewport.addEventListener('resize', sync);
  sync();
}

handoffButton.disabled = true;
refreshComposer();
session.start().then(() => {
  // Desktop: the chat is the point of the page, so put the cursor in it. Mobile: no keyboard pop-up.
  // In the widget the host says when the panel opens.
  if (!embed.embedded && window.matchMedia('(min-width: 667px)').matches && !composer.hidden) input.focus({ preventScroll: true });
});
