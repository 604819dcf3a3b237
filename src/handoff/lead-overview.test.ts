import { describe, expect, it } from 'vitest';
import type { Handoff } from '../store/records.js';
import { leadOverview, startOfDay } from './lead-overview.js';

const base: Handoff = {
  id: 'h', conversationId: 'c', skillGroup: 'orders', reason: 'asked', priority: 0, status: 'waiting', summary: '',
  context: { customerTags: [], citations: [], failedTurns: 0, lang: 'zh', channel: 'web' }, createdAt: '2026-11-22T02:00:00.000Z',
};

describe('leadOverview', () => {
  it('finds midnight in the time zone', () => {
    expect(startOfDay(new Date('2026-11-22T17:30:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(startOfDay(new Date('2026-11-22T17:30:00Z'), 'UTC').toISOString()).toBe('2026-11-22T00:00:00.000Z');
  });

  it('counts waiting, active, resolved today, average wait and CSAT', () => {
    const now = new Date('2026-11-22T03:00:00Z');
    const handoffs: Handoff[] = [
      { ...base, id: 'w1', createdAt: '2026-11-22T02:50:00.000Z' },
      { ...base, id: 'w2', skillGroup: 'vip', createdAt: '2026-11-22T02:40:00.000Z' },
      { ...base, id: 'a1', status: 'accepted', agentId: 'li', createdAt: '2026-11-22T02:00:00.000Z', acceptedAt: '2026-11-22T02:02:00.000Z' },
      { ...base, id: 'r1', status: 'resolved', agentId: 'li', createdAt: '2026-11-22T01:00:00.000Z', acceptedAt: '2026-11-22T01:04:00.000Z', resolvedAt: '2026-11-22T01:10:00.000Z' },
      { ...base, id: 'r0', status: 'resolved', agentId: 'li', createdAt: '2026-11-21T01:00:00.000Z', acceptedAt: '2026-11-21T01:04:00.000Z', resolvedAt: '2026-11-21T01:10:00.000Z' },
    ];
    const ratings = [5, 2].map((score, index) => ({ handoffId: `r${index}`, conversationId: 'c', skillGroup: 'orders', score, channel: 'web' as const, at: now.toISOString() }));
    const overview = leadOverview({
      now, since: new Date('2026-11-22T00:00:00Z'), handoffs, ratings,
      agents: [{ id: 'li', name: '小李', groups: ['orders'], status: 'online', active: 1, capacity: 5 }],
      groups: [{ id: 'orders', name: {}, slaSeconds: 300 }, { id: 'vip', name: {}, slaSeconds: 120 }],
    });
    expect(overview.totals).toMatchObject({ waiting: 2, longestWaitSeconds: 1200, active: 1, resolvedToday: 1, averageWaitSeconds: 180 });
    expect(overview.totals.csat).toEqual({ share: 0.5, ratings: 2, surveys: 1, responseRate: 1 });
    expect(overview.groups[0]).toMatchObject({ id: 'orders', waiting: 1, longestWaitSeconds: 600, active: 1, agentsOnline: 1 });
    expect(overview.agents[0]).toMatchObject({ id: 'li', resolvedToday: 1, averageHandleSeconds: 360 });
  });

  it('computes first response, handoff rate and bot resolution rate, overall and per group', () => {
    const now = new Date('2026-11-22T03:00:00Z');
    const handoffs: Handoff[] = [
      // Answered 90 s after the handoff; a later agent message does not count.
      { ...base, id: 'o1', conversationId: 'c1', status: 'accepted', agentId: 'li', createdAt: '2026-11-22T02:00:00.000Z', acceptedAt: '2026-11-22T02:01:00.000Z' },
      // Handed off twice: the reply answers the second handoff (30 s), not the first.
      { ...base, id: 'v0', conversationId: 'c2', skillGroup: 'vip', status: 'cancelled', createdAt: '2026-11-22T01:00:00.000Z', resolvedAt: '2026-11-22T01:05:00.000Z' },
      { ...base, id: 'v1', conversationId: 'c2', skillGroup: 'vip', status: 'accepted', agentId: 'li', createdAt: '2026-11-22T02:30:00.000Z', acceptedAt: '2026-11-22T02:30:10.000Z' },
      // Still waiting, never answered.
      { ...base, id: 'w', conversationId: 'c3', createdAt: '2026-11-22T02:55:00.000Z' },
    ];
    const overview = leadOverview({
      now, since: new Date('2026-11-22T00:00:00Z'), handoffs, ratings: [], agents: [],
      groups: [{ id: 'orders', name: {}, slaSeconds: 300, firstResponseTargetSeconds: 120 }, { id: 'vip', name: {}, slaSeconds: 120 }],
      outcomes: { conversations: 8, handedOff: 3, botResolved: 4 },
      firstReplies: [
        { conversationId: 'c1', at: '2026-11-22T02:01:30.000Z' },
        { conversationId: 'c2', at: '2026-11-22T02:30:30.000Z' },
        { conversationId: 'c9', at: '2026-11-22T02:40:00.000Z' }, // no handoff known: ignored
      ],
    });
    expect(overview.totals).toMatchObject({ averageFirstResponseSeconds: 60, conversations: 8, handoffRate: 0.375, botResolutionRate: 0.5 });
    expect(overview.groups).toMatchObject([
      { id: 'orders', averageFirstResponseSeconds: 90, firstResponseTargetSeconds: 120, waiting: 1, longestWaitSeconds: 300 },
      { id: 'vip', averageFirstResponseSeconds: 30, firstResponseTargetSeconds: 120, waiting: 0 },
    ]);
  });

  it('gives no rates and no first response on a day without conversations', () => {
    const overview = leadOverview({
      now: new Date('2026-11-22T03:00:00Z'), since: new Date('2026-11-22T00:00:00Z'), handoffs: [], ratings: [], agents: [],
      groups: [], outcomes: { conversations: 0, handedOff: 0, botResolved: 0 }, firstReplies: [],
    });
    expect(overview.totals).toMatchObject({ averageFirstResponseSeconds: null, conversations: 0, handoffRate: null, botResolutionRate: null });
  });
});
