// Agent console: sign-in, three panes (queues · conversation · context), live updates, shortcuts,
// alerts, and the team-lead view for leads.
import { $, h } from './common/dom.js';
import { initI18n, t, bindLangToggle, onLangChange, getLang } from './common/i18n.js';
import { openStream } from './common/sse.js';
import { watchConversation } from './chat/stream.js';
import { AGENT_STRINGS } from './console/strings.js';
import { createAgentApi } from './console/api.js';
import { createList, tickTimers } from './console/list.js';
import { createDetail } from './console/detail.js';
import { renderContext } from './console/context.js';
import { createKbSearch } from './console/kb-search.js';
import { createLogin } from './console/login.js';
import { createActions } from './console/actions.js';
import { createTransferDialog } from './console/transfer.js';
import { installShortcuts, renderShortcutSheet } from './console/shortcuts.js';
import { createAlerts } from './console/alerts.js';
import { createLeadView } from './console/lead.js';
import { createPresence } from './console/presence.js';
import { createCannedPicker } from './console/canned.js';
import { createSnoozeMenu } from './console/snooze.js';

initI18n(AGENT_STRINGS);
bindLangToggle($('#lang-toggle'));

const api = createAgentApi();
const handoffs = new Map();
let me = null;
let selectedId = null;
let selectedData = null;
// The selected customer's earlier conversations (context panel), once loaded: { id, items }.
let selectedHistory = null;
let shown = [];
let handoffStream = null;
let conversationStream = null;
let loadCounter = 0;
/** How long sign-in waits for the event stream before it loads the lists without it. */
const STREAM_WAIT_MS = 3000;
const dropped = { handoffs: false, conversation: false };
// Chats I am accepting myself: their "accepted" push is no assignment to announce.
const accepting = new Set();
let assignedId = null;

const groupOf = (id) => me?.groups.find((group) => group.id === id);
// The first-response target: the "客户已等待" timer turns amber at half and red past it.
const slaMs = (id) => (groupOf(id)?.firstResponseTargetSeconds ?? groupOf(id)?.slaSeconds ?? 300) * 1000;
const agentName = (id) => me?.colleagues.find((agent) => agent.id === id)?.name ?? id;
const groupName = (handoff) => handoff.skillGroupNames?.[getLang()] ?? handoff.skillGroupName ?? handoff.skillGroup;

const alerts = createAlerts({ button: $('#sound-toggle'), announcer: $('#announcer') });
const list = createList({ tablist: $('#tabs'), listEl: $('#cards'), emptyEl: $('#list-empty'), onSelect: (id) => select(id), onTab: () => renderList() });
const detail = createDetail($('#detail'), {
  meId: () => me?.id,
  slaMs,
  agentName: (id) => agentName(id),
  // After 接入 the chat lives in 我的; the list follows it there.
  onAccept: () => {
    const id = detail.handoff?.id;
    if (id) accepting.add(id);
    return actions.accept().then((ok) => { if (ok) { list.setTab('mine'); renderList(); } }).finally(() => accepting.delete(id));
  },
  onTransfer: () => openTransfer(),
  onReturn: () => actions.returnToBot(),
  onResolve: () => actions.resolve(),
  onSend: (mode, text) => { presence.input(false); return actions.send(mode, text); },
  onBack: () => { document.body.dataset.view = 'list'; },
  onRetry: () => select(selectedId),
});
const actions = createActions({
  api: () => api, detail, agentName,
  upsert: (handoff) => upsert(handoff),
  changed: () => { renderList(); renderSide(); },
  refreshSelected: () => refreshSelected(),
  onAuthError: () => signedOut('gate.expired'),
});
const kb = createKbSearch({
  form: $('#kb-form'), input: $('#kb-query'), results: $('#kb-results'),
  search: (q) => api.searchKb(q, selectedData?.conversation?.lang),
  onInsert: (text) => insert(text),
});
const transfer = createTransferDialog({
  groups: () => me?.allGroups ?? [],
  onSubmit: (group, note) => actions.transfer(group, note),
});
const lead = createLeadView($('#lead'), { api, onAuthError: () => signedOut('gate.expired') });
const snoozeMenu = createSnoozeMenu({
  button: $('#snooze-button'), menu: $('#snooze-menu'),
  onPick: (body) => actions.snooze(body).then((ok) => { if (ok) $('#announcer').textContent = t('snooze.done'); }),
});
const canned = createCannedPicker({
  form: $('#reply-form'), input: $('#reply-input'),
  load: () => api.cannedResponses().then((res) => res.responses),
  // In the customer's language when known.
  lang: () => (selectedData?.conversation?.lang === 'en' ? 'en' : selectedData?.conversation?.lang === 'zh' ? 'zh' : getLang()),
  vars: () => ({ customerName: detail.handoff?.context?.customerName ?? selectedData?.conversation?.customer?.name ?? t('card.visitor'), agentName: me?.name }),
  onInserted: () => { $('#announcer').textContent = t('canned.inserted'); },
});
const presence = createPresence($('#detail-notice'), {
  api: () => api,
  selected: () => detail.handoff,
  // Only a reply reaches the customer; an internal note is nobody's business but ours.
  canType: () => detail.composer.mode === 'reply' && detail.canAct.mine(),
});
$('#reply-input').addEventListener('input', (event) => presence.input(event.target.value.trim() !== ''));
const login = createLogin({ login: (username, password) => api.login(username, password), onSignedIn: (profile) => { alerts.unlock(); enter(profile); } });

function insert(text) {
  if (detail.composer.insert(text)) $('#announcer').textContent = t('kb.inserted');
}

function openTransfer() {
  if (detail.handoff && (detail.canAct.accept() || detail.canAct.mine())) transfer.open(detail.handoff.skillGroup);
}

function renderList() {
  if (!me) return;
  const filter = $('#group-filter').value;
  const all = [...handoffs.values()].filter((x) => !filter || x.skillGroup === filter);
  const query = $('#list-search').value.trim().toLowerCase();
  const found = query ? all.filter((x) => [x.context?.customerName, x.lastCustomerText, x.context?.triggerMessage, x.summary].some((s) => s?.toLowerCase().includes(query))) : all;
  shown = list.render(found, { selectedId, meId: me.id, slaMs, agentName, statusFilter: $('#status-filter').value, sort: $('#sort-order').value });
  alerts.setWaiting([...handoffs.values()].filter((x) => x.status === 'waiting').length);
  const active = [...handoffs.values()].filter((x) => x.status === 'accepted' && x.agentId === me.id).length;
  $('#my-load').textContent = `${active}/${Math.min(...me.groups.map((group) => group.maxChatsPerAgent))}`;
}

function renderSide() {
  if (!detail.handoff || !selectedData) return;
  renderContext($('#context-body'), {
    handoff: detail.handoff, conversation: { ...selectedData.conversation, messages: detail.messages }, rating: selectedData.rating,
    history: selectedHistory?.id === detail.handoff.id ? selectedHistory.items : null,
    onInsert: (text) => insert(text),
    kbAnswer: (entryId) => kb.answerOf(entryId, detail.handoff.context?.citations?.find((c) => c.entryId === entryId)?.title),
  });
}

onLangChange(() => { renderList(); renderSide(); if (!$('#lead').hidden) lead.refresh(); });

function upsert(handoff) {
  if (!handoff?.id) return null;
  const previous = handoffs.get(handoff.id);
  const merged = { ...previous, ...handoff };
  if (handoff.status === 'waiting' && !('agentId' in handoff)) delete merged.agentId;
  // A full record without a snooze is awake (a customer message or a transfer ended it).
  if ('status' in handoff) for (const key of ['snoozedUntil', 'snoozedUntilReply']) if (!(key in handoff)) delete merged[key];
  handoffs.set(handoff.id, merged);
  if (handoff.id === selectedId) detail.update(merged);
  return { merged, previous };
}

function setConnection(which, isDropped) {
  dropped[which] = isDropped;
  $('#conn-banner').hidden = !(dropped.handoffs || dropped.conversation);
}

/** Handoff events that arrived while a full load was in flight, one list per load. */
const pendingLoads = new Set();

/**
 * Loads every list: once the event stream is open and after each reconnect (a full re-sync, not
 * a window). Events that arrive while the lists are in flight are replayed on top of them, in
 * order, so a list read just before a change cannot undo it.
 */
async function loadAll() {
  const during = [];
  pendingLoads.add(during);
  try {
    const results = await Promise.all(['waiting', 'accepted', 'resolved', 'cancelled'].map((status) => api.list(status)));
    handoffs.clear();
    for (const result of results) for (const handoff of result?.handoffs ?? []) upsert(handoff);
    for (const handoff of during) upsert(handoff);
    renderList();
  } catch (err) {
    if (actions.isAuthError(err)) signedOut('gate.expired');
    else setConnection('handoffs', true);
  } finally {
    pendingLoads.delete(during);
  }
}

async function refreshSelected() {
  const id = selectedId;
  if (!id) return;
  try {
    const res = await api.get(id);
    if (id !== selectedId) return;
    selectedData = res;
    upsert(res.handoff);
    detail.addMessages(res.conversation?.messages ?? []);
    for (const note of res.notes ?? []) detail.addNote(note);
    detail.setConversationStatus(res.conversation?.status ?? null);
    renderList();
    renderSide();
  } catch (err) {
    if (actions.isAuthError(err)) signedOut('gate.expired');
  }
}

function follow(conversationId, handoffId) {
  conversationStream?.close();
  conversationStream = watchConversation((after) => api.conversationEventsUrl(conversationId, after), {
    lastSeq: () => detail.lastSeq,
    onMessage: (message) => { if (selectedId === handoffId && detail.addMessages([message]).length) renderSide(); },
    onStatus: ({ status }) => { if (selectedId === handoffId) detail.setConversationStatus(status); },
    onState: (state, { reconnected }) => {
      if (selectedId !== handoffId) return;
      setConnection('conversation', state === 'reconnecting');
      if (reconnected) refreshSelected();
    },
  });
}

/** The customer's earlier conversations with their last CSAT; the panel shows them when they arrive. */
function loadHistory(id) {
  if (selectedHistory?.id === id) return;
  api.history(id).then((res) => {
    if (selectedId !== id) return;
    selectedHistory = { id, items: res?.conversations ?? [] };
    renderSide();
  }, () => undefined);
}

async function select(id) {
  if (!id) return;
  if (id === assignedId) hideAssigned();
  selectedId = id;
  const read = handoffs.get(id);
  if (read?.unread) handoffs.set(id, { ...read, unread: false });
  document.body.dataset.view = 'detail';
  renderList();
  conversationStream?.close();
  setConnection('conversation', false);
  const mine = ++loadCounter;
  if (detail.handoff?.id !== id) { detail.showLoading(); kb.clear(); }
  try {
    const res = await api.get(id);
    if (mine !== loadCounter) return;
    selectedData = res;
    const handoff = upsert(res.handoff)?.merged ?? res.handoff;
    detail.show(handoff, res);
    presence.opened();
    loadHistory(id);
    renderSide();
    renderList();
    follow(res.conversation?.id ?? handoff.conversationId, id);
  } catch (err) {
    if (mine !== loadCounter) return;
    if (actions.isAuthError(err)) signedOut('gate.expired');
    else detail.showLoadError();
  }
}

function step(delta) {
  if (!shown.length) return;
  const index = shown.findIndex((x) => x.id === selectedId);
  const next = shown[(index + delta + shown.length) % shown.length] ?? shown[0];
  select(next.id);
}

function showView(view) {
  for (const button of document.querySelectorAll('.view-tab')) button.setAttribute('aria-pressed', String(button.dataset.view === view));
  $('#workspace').hidden = view !== 'desk';
  if (view === 'lead') lead.show();
  else lead.hide();
}

/** A customer wrote: the card shows it, an unread dot marks it, and my own chats make a sound. */
function onCustomerMessage(data) {
  const current = handoffs.get(data?.handoffId);
  if (!current) return;
  current.lastCustomerAt = data.at; // for the 最新消息 sort
  const unread = data.handoffId !== selectedId || document.visibilityState === 'hidden';
  handoffs.set(current.id, { ...current, lastCustomerText: data.text, unread: Boolean(current.unread) || unread, customerWaitingSince: current.customerWaitingSince ?? data.at });
  presence.customerSent(current.id);
  if (unread && current.status === 'accepted' && current.agentId === me?.id) alerts.newMessage();
  renderList();
}

/** An agent answered: the customer's wait timer stops (the card and the header). */
function onAnswered(data) {
  const current = handoffs.get(data?.handoffId);
  if (!current?.customerWaitingSince) return;
  upsert({ ...current, customerWaitingSince: null });
  renderList();
}

/** Automatic assignment gave me a chat: a top-right banner with sound until I open or dismiss it. */
function showAssigned(handoff) {
  assignedId = handoff.id;
  renderAssigned();
  $('#assign-banner').hidden = false;
  alerts.assigned($('#assign-text').textContent);
}

function renderAssigned() {
  const handoff = handoffs.get(assignedId);
  if (!handoff) return;
  $('#assign-text').textContent = t('alert.assigned', { name: handoff.context?.customerName ?? t('card.visitor'), group: groupName(handoff) });
}

function hideAssigned() {
  assignedId = null;
  $('#assign-banner').hidden = true;
}

onLangChange(() => renderAssigned());

function onHandoffEvent(data) {
  for (const during of pendingLoads) during.push(data);
  const result = upsert(data);
  if (!result) return;
  const { merged, previous } = result;
  // A chat that just entered one of my queues: sound, badge, announcement.
  if (merged.status === 'waiting' && previous?.status !== 'waiting') alerts.newChat(groupName(merged));
  // Given to me without my 接入: it is in 我的 now; say so where I cannot miss it.
  if (merged.status === 'accepted' && merged.agentId === me?.id && previous?.status !== 'accepted' && !accepting.has(merged.id)) showAssigned(merged);
  else if (merged.id === assignedId && (merged.status !== 'accepted' || merged.agentId !== me?.id)) hideAssigned();
  // A timed snooze that ended by itself (not by a customer message, which alerts on its own).
  if (previous?.snoozedUntil && !merged.snoozedUntil && merged.status === 'accepted' && merged.agentId === me?.id && Date.parse(previous.snoozedUntil) <= Date.now() + 5000) {
    alerts.snoozeDue(merged.context?.customerName ?? t('card.visitor'));
  }
  if (merged.id === selectedId) { refreshSelected(); }
  renderList();
}

function enter(profile) {
  me = profile;
  login.hide();
  $('#workspace').hidden = false;
  $('#topbar-actions').hidden = false;
  $('#views').hidden = me.role === 'agent';
  $('#agent-name').textContent = me.name;
  $('#my-status').value = me.status ?? 'online';
  const filter = $('#group-filter');
  const option = (value, text) => h('option', { attrs: { value }, text });
  filter.replaceChildren(option('', t('filter.allGroups')), ...me.groups.map((group) => option(group.id, group.name[getLang()] ?? group.name.zh ?? group.id)));
  detail.showEmpty();
  showView('desk');
  // Subscribe first and load the lists on every (re)open: a chat queued before the subscription
  // is in the lists, one queued after it arrives as an event. A proxy that holds the stream back
  // must not leave the desk empty, so the lists also load once after a while without it.
  let tabChosen = false;
  const load = async () => {
    if (handoffStream !== stream) return false; // signed out meanwhile
    await loadAll();
    if (handoffStream !== stream) return false;
    if (!tabChosen) {
      tabChosen = true;
      list.setTab(shown.length || ![...handoffs.values()].some((x) => x.status === 'accepted' && x.agentId === me.id) ? 'waiting' : 'mine');
      renderList();
    }
    return true;
  };
  const withoutStream = setTimeout(load, STREAM_WAIT_MS);
  const stream = openStream(() => api.handoffEventsUrl(), {
    events: { handoff: onHandoffEvent, 'customer-message': onCustomerMessage, typing: (data) => presence.onTyping(data), viewing: (data) => presence.onViewing(data), answered: onAnswered },
    onState: (state, { reconnected }) => {
      setConnection('handoffs', state === 'reconnecting');
      if (state !== 'open') return;
      clearTimeout(withoutStream);
      load().then((loaded) => { if (loaded) $('#workspace').dataset.live = 'true'; });
      if (reconnected) refreshSelected();
    },
  });
  handoffStream = stream;
}

function signedOut(errorKey) {
  presence.stop();
  canned.reset();
  handoffStream?.close();
  conversationStream?.close();
  handoffStream = conversationStream = null;
  me = null;
  selectedId = selectedData = selectedHistory = null;
  loadCounter += 1;
  handoffs.clear();
  for (const id of ['workspace', 'topbar-actions', 'views']) $(`#${id}`).hidden = true;
  delete $('#workspace').dataset.live;
  lead.hide();
  alerts.setWaiting(0);
  hideAssigned();
  login.show(errorKey);
}

$('#group-filter').addEventListener('change', () => renderList());
for (const id of ['status-filter', 'sort-order']) $(`#${id}`).addEventListener('change', () => renderList());
$('#list-search').addEventListener('input', () => renderList());
/** Ctrl+Alt+E / ⌘+⌥+E: resolve, then open the next conversation of the list. */
async function resolveAndNext() {
  if (!detail.canAct.mine()) return;
  const index = shown.findIndex((x) => x.id === selectedId);
  const next = shown[index + 1] ?? shown[index - 1];
  if ((await actions.resolve()) && next) select(next.id);
}
$('#assign-open').addEventListener('click', () => {
  const id = assignedId;
  hideAssigned();
  list.setTab('mine');
  select(id);
});
$('#assign-close').addEventListener('click', () => hideAssigned());
$('#logout').addEventListener('click', async () => { await api.logout().catch(() => undefined); signedOut(); });
$('#my-status').addEventListener('change', (event) => api.setStatus(event.target.value).catch(() => undefined));
for (const button of document.querySelectorAll('.view-tab')) button.addEventListener('click', () => showView(button.dataset.view));
renderShortcutSheet($('#help-keys'));
$('#help-open').addEventListener('click', () => $('#help-dialog').showModal());
$('#help-close').addEventListener('click', () => $('#help-dialog').close());
installShortcuts({
  next: () => step(1), prev: () => step(-1),
  resolve: () => { if (detail.canAct.mine()) actions.resolve(); },
  transfer: () => openTransfer(),
  returnToBot: () => { if (detail.canAct.mine()) actions.returnToBot(); },
  reply: () => { detail.composer.setMode('reply'); detail.composer.focus(); },
  note: () => detail.composer.setMode(detail.composer.mode === 'note' ? 'reply' : 'note'),
  help: () => $('#help-dialog').showModal(),
  resolveNext: () => resolveAndNext(),
  snooze: () => { if (detail.canAct.mine()) snoozeMenu.toggle(); },
  sidebar: () => document.body.classList.toggle('context-collapsed'),
  search: () => { $('#list-search').focus(); $('#list-search').select(); },
});
setInterval(() => { tickTimers(document); }, 1000);

api.me().then((res) => enter(res.agent), () => signedOut());
