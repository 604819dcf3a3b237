/**
 * Tickets (工单): taken when a group is closed or nobody is online, numbered per day in the
 * group's time zone, with an honest promise of when the team will answer.
 *
 * @module
 */
import type { ConversationStore } from '../store/conversation-store.js';
import type { Ticket } from '../store/console-records.js';
import type { Conversation, HandoffReason } from '../store/records.js';
import type { Lang } from '../text/lang.js';
import { nextOpening } from './business-hours.js';
import type { HandoffDirectory } from './handoff-directory.js';
import { ticketDay } from './ticket-number.js';

/** Hours the team promises to answer within, counted from when it next opens. */
export const TICKET_ANSWER_HOURS = 24;

/** "11月23日 09:00" / "Nov 23, 09:00" in the group's time zone, plus the zone when it matters. */
export function formatPromise(at: Date, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone, month: lang === 'zh' ? 'numeric' : 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(at);
}

/** Opens tickets with a number and a promise, and finds them by number. */
export class TicketService {
  constructor(private readonly deps: { store: ConversationStore; directory: HandoffDirectory; clock: () => Date; newId: () => string }) {}

  /** Opens a ticket for `conversation`; the promise is the next opening plus the answer window. */
  async open(conversation: Conversation, input: { skillGroup: string; reason: HandoffReason; summary: string }): Promise<{ ticket: Ticket; opensAt?: Date }> {
    const now = this.deps.clock();
    const hours = this.deps.directory.group(input.skillGroup)?.hours;
    const opensAt = nextOpening(hours, now);
    const promisedBy = new Date((opensAt ?? now).getTime() + TICKET_ANSWER_HOURS * 3_600_000);
    const ticket = await this.deps.store.createTicket({
      id: this.deps.newId(), day: ticketDay(now, hours?.time_zone ?? 'Asia/Shanghai'), conversationId: conversation.id,
      skillGroup: input.skillGroup, reason: input.reason, summary: input.summary, lang: conversation.lang, channel: conversation.channel,
      promisedBy: promisedBy.toISOString(), createdAt: now.toISOString(),
    });
    return { ticket, ...(opensAt ? { opensAt } : {}) };
  }

  lookup(number: string): Promise<Ticket | undefined> {
    return this.deps.store.getTicketByNumber(number);
  }

  /** The time zone promises for `skillGroup` are written in. */
  timeZoneOf(skillGroup: string): string {
    return this.deps.directory.group(skillGroup)?.hours?.time_zone ?? 'Asia/Shanghai';
  }
}
