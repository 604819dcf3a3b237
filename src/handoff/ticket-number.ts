/**
 * Ticket numbers customers can read out and type: `T` + the date in the group's time zone +
 * a 4-digit daily counter, e.g. T20261122-0042.
 *
 * @module
 */

/** Matches a ticket number inside any text (case-insensitive, full-width digits normalised first). */
export const TICKET_NUMBER_PATTERN = /\bT(\d{8})-(\d{4,})\b/i;

/** `20261122` for `at` in `timeZone`. */
export function ticketDay(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((part) => [part.type, part.value]),
  );
  return `${parts.year}${parts.month}${parts.day}`;
}

/** The number of the `sequence`-th ticket of `day`. */
export function formatTicketNumber(day: string, sequence: number): string {
  return `T${day}-${String(sequence).padStart(4, '0')}`;
}

/** The ticket number mentioned in `text`, upper-cased, if any. */
export function findTicketNumber(text: string): string | undefined {
  const match = TICKET_NUMBER_PATTERN.exec(text.normalize('NFKC'));
  return match ? `T${match[1]}-${match[2]}` : undefined;
}
