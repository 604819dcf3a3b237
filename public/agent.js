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

initI18n(AGENT_STRINGS);
bindLangToggle($('#lang-toggle'));

const api = createAgentApi();
const handoffs = new Map();
let me = null;
let selectedId = null;
let selectedData = null;
let shown = [];
let handoffStream = null;
let conversationStream = null;
let loadCounter = 0;
const dropped = { handoffs: false, conversation: false };
// Chats I am accepting myself: their "accepted" push is no assignment to announce.
const accepting = new Set();
let assignedId = null;

const groupOf = (id) => me?.groups.find((group) => group.id === id);
const slaMs = (id) => (groupOf(id)?.slaSeconds ?? 300) * 1000;
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
  onSend: (mode, text) => actions.send(mode, text),
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
  shown = list.render(all, { selectedId, meId: me.id, slaMs, agentName });
  alerts.setWaiting([...handoffs.values()].filter((x) => x.status === 'waiting').length);
  const active = [...handoffs.values()].filter((x) => x.status === 'accepted' && x.agentId === me.id).length;
  $('#my-load').textContent = `${active}/${Math.min(...me.groups.map((group) => group.maxChatsPerAgent))}`;
}

function renderSide() {
  if (!detail.handoff || !selectedData) return;
  renderContext($('#context-body'), {
    handoff: detail.handoff, conversation: { ...selectedData.conversation, messages: detail.messages }, rating: selectedData.rating,
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
  handoffs.set(handoff.id, merged);
  if (handoff.id === selectedId) detail.update(merged);
  return { merged, previous };
}

function setConnection(which, isDropped) {
  dropped[which] = isDropped;
  $('#conn-banner').hidden = !(dropped.handoffs || dropped.conversation);
}

/** Loads every list: the first time and after a reconnect (a full re-sync, not a window). */
async function loadAll() {
  try {
    const results = await Promise.all(['waiting', 'accepted', 'resolved', 'cancelled'].map((status) => api.list(status)));
    handoffs.clear();
    for (const result of results) for (const handoff of result?.handoffs ?? []) upsert(handoff);
    renderList();
  } catch (err) {
    if (actions.isAuthError(err)) signedOut('gate.expired');
    else setConnection('handoffs', true);
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
  const unread = data.handoffId !== selectedId || document.visibilityState === 'hidden';
  handoffs.set(current.id, { ...current, lastCustomerText: data.text, unread: Boolean(current.unread) || unread });
  if (unread && current.status === 'accepted' && current.agentId === me?.id) alerts.newMessage();
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
  const result = upsert(data);
  if (!result) return;
  const { merged, previous } = result;
  // A chat that just entered one of my queues: sound, badge, announcement.
  if (merged.status === 'waiting' && previous?.status !== 'waiting') alerts.newChat(groupName(merged));
  // Given to me without my 接入: it is in 我的 now; say so where I cannot miss it.
  if (merged.status === 'accepted' && merged.agentId === me?.id && previous?.status !== 'accepted' && !accepting.has(merged.id)) showAssigned(merged);
  else if (merged.id === assignedId && (merged.status !== 'accepted' || merged.agentId !== me?.id)) hideAssigned();
  if (merged.id === selectedId) { refreshSelected(); }
  renderList();
}

async function enter(profile) {
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
  await loadAll();
  list.setTab(shown.length || ![...handoffs.values()].some((x) => x.status === 'accepted' && x.agentId === me.id) ? 'waiting' : 'mine');
  renderList();
  handoffStream = openStream(() => api.handoffEventsUrl(), {
    events: { handoff: onHandoffEvent, 'customer-message': onCustomerMessage },
    onState: (state, { reconnected }) => {
      setConnection('handoffs', state === 'reconnecting');
      if (reconnected) { loadAll(); refreshSelected(); }
    },
  });
}

function signedOut(errorKey) {
  handoffStream?.close();
  conversationStream?.close();
  handoffStream = conversationStream = null;
  me = null;
  selectedId = selectedData = null;
  loadCounter += 1;
  handoffs.clear();
  for (const id of ['workspace', 'topbar-actions', 'views']) $(`#${id}`).hidden = true;
  lead.hide();
  alerts.setWaiting(0);
  hideAssigned();
  login.show(errorKey);
}

$('#group-filter').addEventListener('change', () => renderList());
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
});
setInterval(() => { tickTimers(document); }, 1000);

api.me().then((res) => enter(res.agent), () => signedOut());
