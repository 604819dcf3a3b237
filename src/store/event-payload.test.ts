import { describe, expect, it } from 'vitest';
import type { StoreEvent } from './event-bus.js';
import { decodeEvent, encodeEvent, EVENT_PAYLOAD_BYTE_LIMIT, EVENT_TEXT_LIMIT } from './event-payload.js';
import { aHandoff } from './store-fixtures.js';

const messageEvent = (text: string): StoreEvent => ({
  type: 'message-created',
  conversationId: 'c1',
  message: { id: 'm1', conversationId: 'c1', seq: 4, role: 'customer', text, channel: 'wechat', citations: [], at: '2025-01-01T08:00:00.000Z' },
});

describe('event payloads', () => {
  it('round-trips an event unchanged when it is small', () => {
    const event = messageEvent('你好，我想退货');
    expect(decodeEvent(encodeEvent(event))).toEqual(event);
    const handoff: StoreEvent = { type: 'handoff-updated', handoff: { ...aHandoff('c1', 'after-sales'), status: 'waiting' } };
    expect(decodeEvent(encodeEvent(handoff))).toEqual(handoff);
  });

  it(`caps message text at ${EVENT_TEXT_LIMIT} characters`, () => {
    const decoded = decodeEvent(encodeEvent(messageEvent('a'.repeat(10_000))));
    expect(decoded.type === 'message-created' && decoded.message.text).toBe('a'.repeat(EVENT_TEXT_LIMIT));
  });

  it('cuts Chinese text further so the payload stays under the NOTIFY limit, without splitting emoji', () => {
    const payload = encodeEvent(messageEvent('退货'.repeat(3_000) + '😀'.repeat(10)));
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(EVENT_PAYLOAD_BYTE_LIMIT);
    const decoded = decodeEvent(payload);
    expect(decoded.type === 'message-created' && decoded.message.text.startsWith('退货退货')).toBe(true);
    expect(decodeEvent(encodeEvent(messageEvent('😀'.repeat(3_000)))).type).toBe('message-created');
  });

  it('rejects payloads that are not JSON or not an event', () => {
    expect(() => decodeEvent('{')).toThrow(/not JSON/);
    expect(() => decodeEvent('{"type":"message-created","conversationId":"c1"}')).toThrow(/invalid/);
  });
});
