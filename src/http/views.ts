import type { Handoff, StoredMessage } from '../store/records.js';

/** The public shape of a message: what customers and agents may see. */
export function messageView(message: StoredMessage) {
  return {
    seq: message.seq,
    role: message.role,
    text: message.text,
    at: message.at,
    channel: message.channel,
    ...(message.intent !== undefined ? { intent: message.intent } : {}),
    ...(message.citations.length > 0 ? { citations: message.citations } : {}),
  };
}

/** What agents see of a handoff: the record, its place in the queue and its group's names. */
export function handoffView(handoff: Handoff, position: number, skillGroupName: string, extra: Record<string, unknown> = {}) {
  return { ...handoff, position, skillGroupName, ...extra };
}

/**
 * What a customer may know about their own handoff (no summary, no agent ids): the group, the
 * place in the queue, an honest wait estimate when there is one, and who joined.
 */
export function customerHandoffView(handoff: Handoff, position: number, skillGroupName: string, extra: { etaMinutes?: number | undefined; agentName?: string | undefined } = {}) {
  return {
    id: handoff.id, skillGroup: handoff.skillGroup, skillGroupName, reason: handoff.reason, status: handoff.status, position,
    ...(extra.etaMinutes !== undefined ? { etaMinutes: extra.etaMinutes } : {}),
    ...(extra.agentName !== undefined ? { agentName: extra.agentName } : {}),
  };
}
