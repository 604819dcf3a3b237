// The team-lead view (组长看板, UX.md §3): live top row (with 首次响应时长, 转人工率 and
// 机器人解决率 over today's conversations), a row per skill group and the agent
// table coloured by SLA, plus webhook deliveries that failed for good. Refreshes every 10 s.
import { h, duration, clock } from '../common/dom.js';
import { tx, getLang } from '../common/i18n.js';

const REFRESH_MS = 10_000;
const label = (tag, key, args, cls = '') => tx(h(tag, { class: cls }), key, args);
const secs = (value) => (value == null ? '—' : duration(value * 1000));
const pct = (value) => (value == null ? '—' : `${Math.round(value * 100)}%`);
const nameOf = (name, id) => name?.[getLang()] ?? name?.zh ?? id;

function stat(key, value, detail, testid, tone = '') {
  return h('div', { class: `stat ${tone}`, attrs: { 'data-testid': testid } },
    label('span', key, undefined, 'stat-label'), h('strong', { class: 'stat-value', text: value }), detail ?? null);
}

function table(headers, rows, testid) {
  return h('table', { class: 'lead-table', attrs: { 'data-testid': testid } },
    h('thead', {}, h('tr', {}, headers.map((key) => label('th', key, undefined)))),
    h('tbody', {}, rows));
}

function slaTone(seconds, sla) {
  if (!seconds) return '';
  return seconds >= sla ? 'is-red' : seconds >= sla / 2 ? 'is-amber' : '';
}

export function createLeadView(root, { api, onAuthError }) {
  let timer = null;

  async function refresh() {
    let overview;
    let webhooks;
    try {
      [overview, webhooks] = await Promise.all([api.overview(), api.failedWebhooks()]);
    } catch (error) {
      if (error?.status === 401) onAuthError();
      return;
    }
    const { totals } = overview;
    const minSla = Math.min(...overview.groups.map((group) => group.slaSeconds));
    const minTarget = Math.min(...overview.groups.map((group) => group.firstResponseTargetSeconds ?? group.slaSeconds));
    root.replaceChildren(
      h('div', { class: 'lead-head' }, label('h2', 'lead.title'), label('span', 'lead.updated', { t: clock(overview.generatedAt, getLang()) }, 'muted')),
      h('div', { class: 'stats' },
        stat('lead.waiting', String(totals.waiting), label('span', 'lead.longest', { t: secs(totals.longestWaitSeconds) }, 'stat-detail'), 'stat-waiting', slaTone(totals.longestWaitSeconds, minSla)),
        stat('lead.active', String(totals.active), null, 'stat-active'),
        stat('lead.resolved', String(totals.resolvedToday), null, 'stat-resolved'),
        stat('lead.avgWait', secs(totals.averageWaitSeconds), null, 'stat-wait'),
        stat('lead.firstResponse', secs(totals.averageFirstResponseSeconds), null, 'stat-first-response', slaTone(totals.averageFirstResponseSeconds, minTarget)),
        stat('lead.handoffRate', pct(totals.handoffRate), label('span', 'lead.rateDetail', { n: totals.conversations ?? 0 }, 'stat-detail'), 'stat-handoff-rate'),
        stat('lead.botRate', pct(totals.botResolutionRate), null, 'stat-bot-rate'),
        stat('lead.csat', pct(totals.csat.share), label('span', 'lead.csatDetail', { n: totals.csat.ratings, r: pct(totals.csat.responseRate) }, 'stat-detail'), 'stat-csat')),
      label('h3', 'lead.groups', undefined, 'lead-section'),
      table(['lead.col.group', 'lead.col.waiting', 'lead.col.longest', 'lead.col.active', 'lead.col.online', 'lead.col.firstResponse'], overview.groups.map((group) => h('tr', {},
        h('td', { text: nameOf(group.name, group.id) }), h('td', { text: String(group.waiting) }),
        h('td', { class: slaTone(group.longestWaitSeconds, group.slaSeconds), text: group.waiting ? secs(group.longestWaitSeconds) : '—' }),
        h('td', { text: String(group.active) }), h('td', { class: group.agentsOnline === 0 && group.waiting ? 'is-red' : '', text: String(group.agentsOnline) }),
        h('td', { class: slaTone(group.averageFirstResponseSeconds, group.firstResponseTargetSeconds ?? group.slaSeconds), text: secs(group.averageFirstResponseSeconds) }))), 'lead-groups'),
      label('h3', 'lead.agents', undefined, 'lead-section'),
      table(['lead.col.agent', 'lead.col.status', 'lead.col.load', 'lead.col.resolved', 'lead.col.handle'], overview.agents.map((agent) => h('tr', {},
        h('td', { text: agent.name }), h('td', {}, label('span', `agentStatus.${agent.status}`, undefined, `presence presence--${agent.status}`)),
        h('td', { class: agent.active >= agent.capacity ? 'is-red' : '', text: `${agent.active}/${agent.capacity}` }),
        h('td', { text: String(agent.resolvedToday) }), h('td', { text: secs(agent.averageHandleSeconds) }))), 'lead-agents'),
      label('h3', 'lead.webhooks', undefined, 'lead-section'),
      webhooks.deliveries.length
        ? table(['lead.col.group', 'lead.col.handoff', 'lead.col.attempts', 'lead.col.error'], webhooks.deliveries.map((delivery) => h('tr', {},
          h('td', { text: delivery.skillGroup }), h('td', {}, h('code', { text: delivery.handoffId.slice(0, 8) })),
          h('td', { text: String(delivery.attempts) }), h('td', { class: 'is-red', text: delivery.lastError ?? '' }))), 'lead-webhooks')
        : label('p', 'lead.noWebhooks', undefined, 'muted'));
  }

  return {
    refresh,
    show() {
      root.hidden = false;
      refresh();
      clearInterval(timer);
      timer = setInterval(refresh, REFRESH_MS);
    },
    hide() {
      root.hidden = true;
      clearInterval(timer);
    },
  };
}
