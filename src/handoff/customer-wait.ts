/**
 * How long a customer has waited for a person (UX.md §2, "客户已等待 02:15"): from the oldest
 * customer message that no agent has answered yet. Bot replies do not count as answers; a
 * message written to the bot before the handoff counts from the handoff, since nobody could
 * answer it earlier. Pure.
 *
 * @module
 */
import type { Handoff, StoredMessage } from '../store/records.js';

/** The instant the customer's unanswered wait began, or null when an agent spoke last. */
export function customerWaitingSince(handoff: Handoff, messages: StoredMessage[]): string | null {
  if (handoff.status !== 'waiting' && handoff.status !== 'accepted') return null;
  let since: string | null = null;
  for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
    if (message.role === 'agent') since = null;
    else if (message.role === 'customer' && since === null) since = message.at;
  }
  if (since === null) return null;
  return since < handoff.createdAt ? handoff.createdAt : since;
}

/** The group's first-response target in seconds: its own, else its queue SLA. */
export function firstResponseTarget(group: { firstResponseTargetSeconds?: number | undefined; sla_seconds: number } | undefined): number {
  return group?.firstResponseTargetSeconds ?? group?.sla_seconds ?? 300;
}
