/**
 * The team-lead view's figures, computed from today's handoffs, ratings and agent rows. Pure.
 * Definitions follow UX.md §3: average wait is queue entry → accept; CSAT is the share of 4-5
 * ratings; response rate is ratings ÷ surveys sent (one per resolved handoff). First response is
 * handoff → the first agent message after it; handoff rate and bot resolution rate are over
 * today's conversations in which the customer wrote (bot-resolved: no handoff, no failed turn).
 *
 * @module
 */
import type { Rating } from '../store/console-records.js';
import type { Handoff } from '../store/records.js';
import { csatShare } from './csat.js';
import type { AgentRow } from './queue-insights.js';

/** Midnight of `now`'s day in `timeZone`, as an instant. */
export function startOfDay(now: Date, timeZone: string): Date {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
  }).formatToParts(now).map((part) => [part.type, Number(part.value)]));
  const wall = Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const offset = wall - Math.floor(now.getTime() / 1000) * 1000;
  return new Date(Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1) - offset);
}

const seconds = (from: string, to: string | number) => Math.max(0, Math.round(((typeof to === 'number' ? to : Date.parse(to)) - Date.parse(from)) / 1000));
const mean = (values: number[]) => (values.length === 0 ? null : Math.round(values.reduce((sum, value) => sum + value, 0) / values.length));

/** Everything the team-lead view shows. */
export function leadOverview(input: {
  now: Date; since: Date; handoffs: Handoff[]; ratings: Rating[]; agents: AgentRow[];
  groups: Array<{ id: string; name: unknown; slaSeconds: number; firstResponseTargetSeconds?: number }>;
  /** Today's conversations: `conversationOutcomesSince`. */
  outcomes?: { conversations: number; handedOff: number; botResolved: number };
  /** First agent message per conversation today: `firstAgentRepliesSince`. */
  firstReplies?: Array<{ conversationId: string; at: string }>;
}) {
  const now = input.now.getTime();
  const since = input.since.toISOString();
  const waiting = input.handoffs.filter((handoff) => handoff.status === 'waiting');
  const active = input.handoffs.filter((handoff) => handoff.status === 'accepted');
  const resolvedToday = input.handoffs.filter((handoff) => handoff.status === 'resolved' && (handoff.resolvedAt ?? '') >= since);
  const acceptedToday = input.handoffs.filter((handoff) => handoff.acceptedAt !== undefined && handoff.acceptedAt >= since);
  const longest = (list: Handoff[]) => (list.length === 0 ? 0 : Math.max(...list.map((handoff) => seconds(handoff.createdAt, now))));
  const scores = input.ratings.map((rating) => rating.score);
  const firstResponses = (input.firstReplies ?? []).flatMap((reply) => {
    // The conversation's latest handoff before the reply is the one it answered.
    const answered = input.handoffs.filter((handoff) => handoff.conversationId === reply.conversationId && handoff.createdAt <= reply.at)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    return answered ? [{ skillGroup: answered.skillGroup, seconds: seconds(answered.createdAt, reply.at) }] : [];
  });
  const outcomes = input.outcomes ?? { conversations: 0, handedOff: 0, botResolved: 0 };
  const rate = (count: number) => (outcomes.conversations === 0 ? null : Math.min(1, count / outcomes.conversations));
  return {
    generatedAt: input.now.toISOString(),
    since,
    totals: {
      waiting: waiting.length,
      longestWaitSeconds: longest(waiting),
      active: active.length,
      resolvedToday: resolvedToday.length,
      averageWaitSeconds: mean(acceptedToday.map((handoff) => seconds(handoff.createdAt, handoff.acceptedAt as string))),
      averageFirstResponseSeconds: mean(firstResponses.map((item) => item.seconds)),
      conversations: outcomes.conversations,
      handoffRate: rate(outcomes.handedOff),
      botResolutionRate: rate(outcomes.botResolved),
      csat: {
        share: csatShare(scores) ?? null,
        ratings: scores.length,
        surveys: resolvedToday.length,
        responseRate: resolvedToday.length === 0 ? null : Math.min(1, scores.length / resolvedToday.length),
      },
    },
    groups: input.groups.map((group) => {
      const inGroup = waiting.filter((handoff) => handoff.skillGroup === group.id);
      return {
        id: group.id, name: group.name, slaSeconds: group.slaSeconds, waiting: inGroup.length, longestWaitSeconds: longest(inGroup),
        firstResponseTargetSeconds: group.firstResponseTargetSeconds ?? group.slaSeconds,
        averageFirstResponseSeconds: mean(firstResponses.filter((item) => item.skillGroup === group.id).map((item) => item.seconds)),
        active: active.filter((handoff) => handoff.skillGroup === group.id).length,
        agentsOnline: input.agents.filter((agent) => agent.groups.includes(group.id) && agent.status === 'online').length,
      };
    }),
    agents: input.agents.map((agent) => {
      const mine = resolvedToday.filter((handoff) => handoff.agentId === agent.id);
      return {
        ...agent, resolvedToday: mine.length,
        averageHandleSeconds: mean(mine.filter((handoff) => handoff.acceptedAt).map((handoff) => seconds(handoff.acceptedAt as string, handoff.resolvedAt as string))),
      };
    }),
  };
}
