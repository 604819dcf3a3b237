import { describe, expect, it } from 'vitest';
import type { Handoff, StoredMessage } from '../store/records.js';
import { customerWaitingSince, firstResponseTarget } from './customer-wait.js';

const handoff: Handoff = {
  id: 'h', conversationId: 'c', skillGroup: 'orders', reason: 'asked', priority: 0, status: 'accepted', summary: '',
  context: { customerTags: [], citations: [], failedTurns: 0, lang: 'zh', channel: 'web' }, createdAt: '2026-11-22T02:00:00.000Z',
};
let seq = 0;
const msg = (role: StoredMessage['role'], at: string): StoredMessage => ({
  id: `m${++seq}`, conversationId: 'c', seq, role, text: '', channel: 'web', citations: [], at,
});

describe('customerWaitingSince', () => {
  it('counts from the handoff when only the bot answered before it', () => {
    const messages = [msg('customer', '2026-11-22T01:50:00.000Z'), msg('bot', '2026-11-22T01:50:02.000Z'), msg('customer', '2026-11-22T01:59:59.000Z')];
    expect(customerWaitingSince({ ...handoff, status: 'waiting' }, messages)).toBe('2026-11-22T02:00:00.000Z');
  });

  it('counts from the oldest customer message after the last agent reply, and stops when the agent answers', () => {
    const answered = [msg('customer', '2026-11-22T02:00:00.000Z'), msg('agent', '2026-11-22T02:01:00.000Z')];
    expect(customerWaitingSince(handoff, answered)).toBeNull();
    const again = [...answered, msg('customer', '2026-11-22T02:05:00.000Z'), msg('system', '2026-11-22T02:05:30.000Z'), msg('customer', '2026-11-22T02:06:00.000Z')];
    expect(customerWaitingSince(handoff, again)).toBe('2026-11-22T02:05:00.000Z');
    expect(customerWaitingSince({ ...handoff, status: 'resolved' }, again)).toBeNull();
  });

  it('uses the group first-response target, else its queue SLA', () => {
    expect(firstResponseTarget({ firstResponseTargetSeconds: 60, sla_seconds: 300 })).toBe(60);
    expect(firstResponseTarget({ sla_seconds: 240 })).toBe(240);
    expect(firstResponseTarget(undefined)).toBe(300);
  });
});
