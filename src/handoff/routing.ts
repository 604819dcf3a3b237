/**
 * Which skill group takes a conversation, and how urgently. Pure: rules come from
 * `skill-groups.yaml`, facts from the turn.
 *
 * @module
 */
import type { RoutingRuleConfig } from '../knowledge/skill-groups.js';
import type { Emotion } from './emotion/detect-emotion.js';

/** What routing looks at. */
export interface RoutingFacts {
  /** Category path of the KB entry the conversation is about, outermost first. */
  category?: string[];
  intent: string;
  lang: string;
  channel: string;
  tags: string[];
}

/** The group a conversation goes to and the rule that chose it, if any. */
export interface Route {
  group: string;
  rule?: RoutingRuleConfig;
}

function matches(rule: RoutingRuleConfig, facts: RoutingFacts): boolean {
  const { when } = rule;
  if (when.intent && !when.intent.includes(facts.intent)) return false;
  if (when.lang && !when.lang.includes(facts.lang as 'zh' | 'en')) return false;
  if (when.channel && !when.channel.includes(facts.channel as 'web')) return false;
  if (when.tags && !when.tags.some((tag) => facts.tags.includes(tag))) return false;
  if (when.category) {
    const path = (facts.category ?? []).join('/');
    if (!when.category.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false;
  }
  return true;
}

/**
 * The highest-priority matching rule wins (ties: the one listed first); without one, the group of
 * the KB entry the conversation was about, then the default.
 */
export function routeConversation(rules: RoutingRuleConfig[], facts: RoutingFacts, fallback: { entryGroup?: string | undefined; defaultGroup: string }): Route {
  let best: RoutingRuleConfig | undefined;
  for (const rule of rules) if (matches(rule, facts) && (best === undefined || rule.priority > best.priority)) best = rule;
  if (best) return { group: best.group, rule: best };
  return { group: fallback.entryGroup ?? fallback.defaultGroup };
}

/** Queue priority added for a VIP customer. */
export const VIP_PRIORITY = 20;
/** Queue priority added for an angry customer (upset ones get half). */
export const ANGRY_PRIORITY = 10;

/** Higher is served first: VIP customers, then angry ones, plus the routing rule's boost. */
export function queuePriority(input: { tags: string[]; emotion?: Emotion | undefined; boost?: number | undefined }): number {
  let priority = input.boost ?? 0;
  if (input.tags.includes('vip')) priority += VIP_PRIORITY;
  if (input.emotion === 'angry') priority += ANGRY_PRIORITY;
  else if (input.emotion === 'upset') priority += ANGRY_PRIORITY / 2;
  return priority;
}
