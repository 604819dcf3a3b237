/**
 * Business hours in a group's own time zone, computed with `Intl` so DST and zones need no
 * table. Pure: the caller passes the instant.
 *
 * @example
 * isOpen({ time_zone: 'Asia/Shanghai', days: { mon: ['09:00-18:00'] } }, new Date());
 *
 * @module
 */
import { WEEKDAYS, type BusinessHoursConfig } from '../knowledge/skill-groups.js';

const WEEK = 7 * 24 * 60;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since Sunday 00:00 in `timeZone` at `at`. */
export function minuteOfWeek(at: Date, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, part.value]));
  const day = WEEKDAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as (typeof WEEKDAYS)[number]);
  return day * 1440 + Number(parts.hour) * 60 + Number(parts.minute);
}

/** Every open interval as [start, length] in minutes of the week; a range past midnight spills over. */
function intervals(hours: BusinessHoursConfig): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  WEEKDAYS.forEach((day, index) => {
    for (const range of hours.days[day] ?? []) {
      const [from, to] = range.split('-').map((time) => {
        const [hour, minute] = time.split(':').map(Number);
        return (hour ?? 0) * 60 + (minute ?? 0);
      }) as [number, number];
      const length = to > from ? to - from : to + 1440 - from;
      result.push([index * 1440 + from, length]);
    }
  });
  return result;
}

/** Whether a group with these hours is open at `at`; no hours means always open. */
export function isOpen(hours: BusinessHoursConfig | undefined, at: Date): boolean {
  if (!hours) return true;
  const now = minuteOfWeek(at, hours.time_zone);
  return intervals(hours).some(([start, length]) => (now - start + WEEK) % WEEK < length);
}

/**
 * The next instant the group opens after `at` (to the minute), or undefined when it is open now,
 * has no hours, or is never open. Wall-clock arithmetic: a DST jump in between can shift it by
 * the jump, which is fine for a promise made to a customer.
 */
export function nextOpening(hours: BusinessHoursConfig | undefined, at: Date): Date | undefined {
  if (!hours || isOpen(hours, at)) return undefined;
  const now = minuteOfWeek(at, hours.time_zone);
  const waits = intervals(hours).map(([start]) => (start - now + WEEK) % WEEK || WEEK);
  if (waits.length === 0) return undefined;
  const minutes = Math.min(...waits);
  const base = new Date(at);
  base.setUTCSeconds(0, 0);
  return new Date(base.getTime() + minutes * 60_000);
}
