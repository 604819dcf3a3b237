/**
 * Record builders for store tests: fresh random ids, so tests sharing one database never
 * collide, and fixed timestamps, so ordering is deliberate.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Conversation, NewHandoff, NewMessage } from './records.js';

/** ISO timestamp `seconds` after a fixed instant. */
export function at(seconds: number): string {
  return new Date(Date.UTC(2025, 0, 1, 8, 0, seconds)).toISOString();
}

/** A Chinese web conversation with the bot. */
export function aConversation(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: randomUUID(),
    channel: 'web',
    customer: { id: 'cust-1', name: '张三', lang: 'zh', tags: ['vip', '老客户'] },
    lang: 'zh',
    status: 'bot',
    failedTurns: 0,
    createdAt: at(0),
    updatedAt: at(0),
    ...overrides,
  };
}

/** A customer message in `conversationId`. */
export function aMessage(conversationId: string, overrides: Partial<NewMessage> = {}): NewMessage {
  return { conversationId, role: 'customer', text: '我的订单什么时候发货？', channel: 'web', citations: [], at: at(1), ...overrides };
}

/** A waiting-to-be handoff of `conversationId` to `skillGroup`. */
export function aHandoff(conversationId: string, skillGroup: string, overrides: Partial<NewHandoff> = {}): NewHandoff {
  return {
    id: randomUUID(),
    conversationId,
    skillGroup,
    reason: 'asked',
    priority: 0,
    summary: '客户询问发货时间，要求转人工',
    context: {
      intent: 'human_request',
      customerTags: ['vip'],
      citations: [{ entryId: 'shipping-time', title: '发货时间', category: ['售后', '物流'], kbVersion: 3 }],
      failedTurns: 1,
      lang: 'zh',
      channel: 'web',
    },
    createdAt: at(10),
    ...overrides,
  };
}

/** A skill-group name no other test uses, so queue assertions see only their own handoffs. */
export function aSkillGroup(): string {
  return `group-${randomUUID()}`;
}
