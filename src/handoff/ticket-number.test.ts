import { describe, expect, it } from 'vitest';
import { parseRatingReply } from './csat.js';
import { hashPassword, verifyPassword } from './password.js';
import { findTicketNumber, formatTicketNumber, ticketDay } from './ticket-number.js';

describe('ticket numbers', () => {
  it('uses the date in the group time zone', () => {
    const at = new Date('2026-11-22T17:00:00Z');
    expect(ticketDay(at, 'Asia/Shanghai')).toBe('20261123');
    expect(ticketDay(at, 'UTC')).toBe('20261122');
    expect(formatTicketNumber('20261122', 42)).toBe('T20261122-0042');
  });

  it('finds a number in any text, also lower-case or full-width', () => {
    expect(findTicketNumber('我的工单 T20261122-0042 处理得怎么样了')).toBe('T20261122-0042');
    expect(findTicketNumber('status of t20261122-0042?')).toBe('T20261122-0042');
    expect(findTicketNumber('Ｔ２０２６１１２２－００４２')).toBe('T20261122-0042');
    expect(findTicketNumber('订单号 20261122')).toBeUndefined();
  });
});

describe('rating replies', () => {
  it.each([['5', 5], ['５', 5], ['4分', 4], [' 1 ', 1], ['3 stars', 3]])('reads "%s"', (text, score) => {
    expect(parseRatingReply(text)).toBe(score);
  });
  it.each(['6', '0', '55', '5 个订单', '我给 5'])('ignores "%s"', (text) => {
    expect(parseRatingReply(text)).toBeUndefined();
  });
});

describe('passwords', () => {
  it('verifies the right password only', async () => {
    const stored = await hashPassword('kefu-demo-2026');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('kefu-demo-2026', stored)).toBe(true);
    expect(await verifyPassword('kefu-demo-2027', stored)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
});
