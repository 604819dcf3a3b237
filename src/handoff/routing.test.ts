import { describe, expect, it } from 'vitest';
import { routingRuleSchema } from '../knowledge/skill-groups.js';
import { leastBusyAgent, overflowDue } from './assignment.js';
import { averageHandleMs, estimateWaitMinutes } from './queue-estimate.js';
import { queuePriority, routeConversation, type RoutingFacts } from './routing.js';
import { extraTrigger } from './triggers.js';

const rules = [
  { group: 'refunds', priority: 5, when: { category: '售后/退款' } },
  { group: 'after-sales', priority: 20, when: { intent: 'complaint' } },
  { group: 'vip', priority: 30, queue_boost: 10, when: { tags: ['vip', 'diamond'] } },
  { group: 'english', priority: 1, when: { lang: 'en', channel: ['web', 'teams'] } },
].map((rule) => routingRuleSchema.parse(rule));

const facts = (overrides: Partial<RoutingFacts> = {}): RoutingFacts => ({ intent: 'faq', lang: 'zh', channel: 'web', tags: [], ...overrides });
const fallback = { entryGroup: 'orders', defaultGroup: 'presales' };

describe('routeConversation', () => {
  it('matches a category by path prefix, not by substring', () => {
    expect(routeConversation(rules, facts({ category: ['售后', '退款', '到账'] }), fallback).group).toBe('refunds');
    expect(routeConversation(rules, facts({ category: ['售后', '退款说明'] }), fallback).group).toBe('orders');
  });

  it('lets the highest priority win when several rules match', () => {
    const route = routeConversation(rules, facts({ category: ['售后', '退款'], intent: 'complaint', tags: ['diamond'] }), fallback);
    expect(route).toMatchObject({ group: 'vip', rule: { queue_boost: 10 } });
    expect(routeConversation(rules, facts({ category: ['售后', '退款'], intent: 'complaint' }), fallback).group).toBe('after-sales');
  });

  it('needs every condition of a rule', () => {
    expect(routeConversation(rules, facts({ lang: 'en', channel: 'teams' }), fallback).group).toBe('english');
    expect(routeConversation(rules, facts({ lang: 'en', channel: 'wechat' }), fallback).group).toBe('orders');
  });

  it('falls back to the entry group, then the default', () => {
    expect(routeConversation(rules, facts(), fallback)).toEqual({ group: 'orders' });
    expect(routeConversation([], facts(), { defaultGroup: 'presales' })).toEqual({ group: 'presales' });
  });
});

describe('queuePriority', () => {
  it('serves VIP first, then angry, then upset customers', () => {
    const vip = queuePriority({ tags: ['vip'] });
    const angry = queuePriority({ tags: [], emotion: 'angry' });
    const upset = queuePriority({ tags: [], emotion: 'upset' });
    const calm = queuePriority({ tags: [], emotion: 'neutral' });
    expect(vip).toBeGreaterThan(angry);
    expect(angry).toBeGreaterThan(upset);
    expect(upset).toBeGreaterThan(calm);
    expect(queuePriority({ tags: ['vip'], emotion: 'angry', boost: 10 })).toBe(40);
  });
});

describe('extraTrigger', () => {
  const settings = { emotions: ['angry' as const], intents: ['complaint'], tags: ['vip'] };
  it('fires on emotion, then a sure intent, then a tag', () => {
    expect(extraTrigger({ emotion: 'angry', intent: 'complaint', intentSure: true, tags: ['vip'] }, settings)).toBe('emotion');
    expect(extraTrigger({ emotion: 'upset', intent: 'complaint', intentSure: true, tags: [] }, settings)).toBe('intent');
    expect(extraTrigger({ emotion: 'upset', intent: 'complaint', intentSure: false, tags: [] }, settings)).toBeUndefined();
    expect(extraTrigger({ emotion: 'neutral', intent: 'faq', intentSure: true, tags: ['vip'] }, settings)).toBe('vip');
    expect(extraTrigger({ emotion: 'angry', intent: 'faq', intentSure: true, tags: [] }, { emotions: [], intents: [], tags: [] })).toBeUndefined();
  });
});

describe('assignment and estimates', () => {
  it('suggests the least busy online agent with room', () => {
    expect(leastBusyAgent([
      { id: 'a', online: true, active: 3, capacity: 3 },
      { id: 'b', online: false, active: 0, capacity: 5 },
      { id: 'c', online: true, active: 2, capacity: 5 },
      { id: 'd', online: true, active: 1, capacity: 5 },
    ])).toBe('d');
    expect(leastBusyAgent([{ id: 'a', online: true, active: 3, capacity: 3 }])).toBeUndefined();
  });

  it('overflows after the wait limit', () => {
    expect(overflowDue('2026-11-22T10:00:00Z', 300, new Date('2026-11-22T10:04:59Z'))).toBe(false);
    expect(overflowDue('2026-11-22T10:00:00Z', 300, new Date('2026-11-22T10:05:00Z'))).toBe(true);
  });

  it('estimates honestly, or not at all', () => {
    const handled = [4, 6, 8].map((minutes) => ({ acceptedAt: '2026-11-22T10:00:00Z', resolvedAt: new Date(Date.parse('2026-11-22T10:00:00Z') + minutes * 60_000).toISOString() }));
    expect(averageHandleMs(handled)).toBe(6 * 60_000);
    expect(averageHandleMs(handled.slice(0, 2))).toBeUndefined();
    expect(estimateWaitMinutes({ position: 3, averageHandleMs: 6 * 60_000, agentsOnline: 2 })).toBe(12);
    expect(estimateWaitMinutes({ position: 1, averageHandleMs: 6 * 60_000, agentsOnline: 2 })).toBe(6);
    expect(estimateWaitMinutes({ position: 1, averageHandleMs: 6 * 60_000, agentsOnline: 0 })).toBeUndefined();
    expect(estimateWaitMinutes({ position: 1, averageHandleMs: undefined, agentsOnline: 3 })).toBeUndefined();
  });
});
