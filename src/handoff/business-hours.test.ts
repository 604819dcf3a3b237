import { describe, expect, it } from 'vitest';
import { isOpen, minuteOfWeek, nextOpening } from './business-hours.js';

const shanghai = { time_zone: 'Asia/Shanghai', days: { mon: ['09:00-18:00'], fri: ['22:00-02:00'] } };

describe('business hours', () => {
  it('reads the wall clock of the time zone', () => {
    // 2026-11-23 is a Monday; 01:30 UTC is 09:30 in Shanghai and still Sunday 20:30 in New York.
    const at = new Date('2026-11-23T01:30:00Z');
    expect(minuteOfWeek(at, 'Asia/Shanghai')).toBe(1 * 1440 + 9 * 60 + 30);
    expect(minuteOfWeek(at, 'America/New_York')).toBe(0 * 1440 + 20 * 60 + 30);
  });

  it('is open inside a range and closed outside, in the group time zone', () => {
    expect(isOpen(shanghai, new Date('2026-11-23T01:30:00Z'))).toBe(true); // Mon 09:30 Shanghai
    expect(isOpen(shanghai, new Date('2026-11-23T00:30:00Z'))).toBe(false); // Mon 08:30
    expect(isOpen(shanghai, new Date('2026-11-23T10:00:00Z'))).toBe(false); // Mon 18:00, end exclusive
    const newYork = { ...shanghai, time_zone: 'America/New_York' };
    expect(isOpen(newYork, new Date('2026-11-23T01:30:00Z'))).toBe(false); // Sun 20:30 in New York
    expect(isOpen(newYork, new Date('2026-11-23T14:30:00Z'))).toBe(true); // Mon 09:30 in New York
  });

  it('runs a range past midnight into the next day, also from Saturday into Sunday', () => {
    // Friday 2026-11-27 22:00-02:00 Shanghai.
    expect(isOpen(shanghai, new Date('2026-11-27T14:30:00Z'))).toBe(true); // Fri 22:30
    expect(isOpen(shanghai, new Date('2026-11-27T17:59:00Z'))).toBe(true); // Sat 01:59
    expect(isOpen(shanghai, new Date('2026-11-27T18:00:00Z'))).toBe(false); // Sat 02:00
    const weekend = { time_zone: 'UTC', days: { sat: ['23:00-01:00'] } };
    expect(isOpen(weekend, new Date('2026-11-29T00:30:00Z'))).toBe(true); // Sun 00:30
    expect(isOpen(weekend, new Date('2026-11-29T01:30:00Z'))).toBe(false);
  });

  it('is always open without hours and never open with no days', () => {
    expect(isOpen(undefined, new Date())).toBe(true);
    expect(isOpen({ time_zone: 'UTC', days: {} }, new Date())).toBe(false);
    expect(nextOpening({ time_zone: 'UTC', days: {} }, new Date())).toBeUndefined();
  });

  it('finds the next opening, across the week end', () => {
    expect(nextOpening(shanghai, new Date('2026-11-23T00:30:00Z'))?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    // Saturday noon Shanghai: next is Monday 09:00 Shanghai.
    expect(nextOpening(shanghai, new Date('2026-11-28T04:00:00Z'))?.toISOString()).toBe('2026-11-30T01:00:00.000Z');
    expect(nextOpening(shanghai, new Date('2026-11-23T01:30:00Z'))).toBeUndefined();
  });
});
