/**
 * What an agent does besides answering: transfer to another group with an internal note,
 * return the customer to the bot, write an internal note, and the automatic overflow.
 *
 * @module
 */
import { ConflictError, ValidationError } from '../errors.js';
import type { Handoff } from '../store/records.js';
import { HandoffService, type AgentRef } from './handoff-service.js';

/** `HandoffService` plus transfers, returns, notes and overflow. */
export class HandoffMoves extends HandoffService {
  /**
   * Moves the conversation to `toGroup`'s queue (it keeps its place by priority and original
   * wait). The note is internal: it goes to the audit log, never to the customer.
   */
  async transfer(id: string, agent: AgentRef, toGroup: string, note: string): Promise<Handoff> {
    const handoff = await this.get(id);
    if (toGroup === handoff.skillGroup) throw new ValidationError('already in this group', 'same_group');
    const at = this.deps.clock().toISOString();
    const from = handoff.status;
    if (from !== 'waiting' && from !== 'accepted') throw new ConflictError('not_open', `handoff is ${from}`);
    if (from === 'accepted' && handoff.agentId !== agent.id) throw new ConflictError('not_your_handoff', 'another agent handles this conversation');
    const moved = await this.deps.store.transferHandoff(id, {
      from, fromGroup: handoff.skillGroup, toGroup, at, ...(from === 'accepted' ? { agentId: agent.id } : {}),
    });
    if (!moved) throw new ConflictError('handoff_changed', 'the conversation changed meanwhile; reload it');
    await this.deps.store.updateConversation(handoff.conversationId, { status: 'queued' }, at);
    await this.say(handoff, (lang) => this.deps.texts.transferred(lang, this.deps.groupName(toGroup, lang)), 'transferred', at);
    await this.deps.audit.record(agent.id, 'transfer', { handoff, detail: { from: handoff.skillGroup, to: toGroup, note } });
    const updated = await this.changed(id, 'queued');
    await this.queued(updated);
    return updated;
  }

  /** Hands the customer back to the bot (they read 已为您转回智能助手). */
  async returnToBot(id: string, agent: AgentRef): Promise<Handoff> {
    const handoff = await this.get(id);
    if (handoff.status === 'accepted' && handoff.agentId !== agent.id) throw new ConflictError('not_your_handoff', 'another agent handles this conversation');
    const at = this.deps.clock().toISOString();
    const won =
      (await this.deps.store.transitionHandoff(id, 'accepted', 'cancelled', { at })) ||
      (await this.deps.store.transitionHandoff(id, 'waiting', 'cancelled', { at }));
    if (!won) throw new ConflictError('not_open', `handoff is ${handoff.status}`);
    await this.deps.store.updateConversation(handoff.conversationId, { status: 'bot', failedTurns: 0 }, at);
    await this.say(handoff, (lang) => this.deps.texts.returnedToBot(lang), 'returned_to_bot', at);
    await this.deps.audit.record(agent.id, 'return_to_bot', { handoff });
    return this.changed(id, 'bot');
  }

  /** The customer leaves the queue (取消排队) and is back with the bot; false when nobody was waiting. */
  async leaveQueue(conversationId: string): Promise<boolean> {
    const handoff = await this.deps.store.latestHandoff(conversationId);
    if (!handoff || handoff.status !== 'waiting') return false;
    const at = this.deps.clock().toISOString();
    if (!(await this.deps.store.transitionHandoff(handoff.id, 'waiting', 'cancelled', { at }))) return false;
    await this.deps.store.updateConversation(conversationId, { status: 'bot', failedTurns: 0 }, at);
    await this.say(handoff, (lang) => this.deps.texts.leftQueue(lang), 'left_queue', at);
    await this.changed(handoff.id, 'bot');
    return true;
  }

  /**
   * Snoozes (稍后处理) the agent's own conversation until `until` or until the customer writes;
   * it stays theirs and accepted, and a customer message wakes it (`wakeOnCustomerMessage`).
   */
  async snooze(id: string, agent: AgentRef, change: { until?: string; untilReply: boolean }): Promise<Handoff> {
    const handoff = await this.get(id);
    if (handoff.status !== 'accepted') throw new ConflictError('not_accepted', `handoff is ${handoff.status}`);
    if (handoff.agentId !== agent.id) throw new ConflictError('not_your_handoff', 'another agent handles this conversation');
    const now = this.deps.clock();
    if (!change.untilReply && (change.until === undefined || Date.parse(change.until) <= now.getTime())) {
      throw new ValidationError('until must be in the future', 'bad_until');
    }
    const until = change.untilReply ? undefined : new Date(Date.parse(change.until as string)).toISOString();
    if (!(await this.deps.store.snoozeHandoff(id, { agentId: agent.id, untilReply: change.untilReply, ...(until ? { until } : {}) }))) {
      throw new ConflictError('handoff_changed', 'the conversation changed meanwhile; reload it');
    }
    await this.deps.audit.record(agent.id, 'snooze', { handoff, detail: change.untilReply ? { untilReply: true } : { until } });
    return this.changed(id, 'agent');
  }

  /** A customer wrote: their snoozed conversation is awake again (once, however many instances see it). */
  async wakeOnCustomerMessage(conversationId: string): Promise<boolean> {
    const handoff = await this.deps.store.latestHandoff(conversationId);
    if (!handoff || handoff.status !== 'accepted' || !(handoff.snoozedUntilReply || handoff.snoozedUntil)) return false;
    if (!(await this.deps.store.wakeHandoff(handoff.id, this.deps.clock().toISOString()))) return false;
    await this.changed(handoff.id, 'agent');
    return true;
  }

  /** Wakes timed snoozes that are due, telling the consoles; returns the handoffs woken here. */
  async wakeDueSnoozes(): Promise<Handoff[]> {
    const woken: Handoff[] = [];
    for (const id of await this.deps.store.endDueSnoozes(this.deps.clock().toISOString())) woken.push(await this.changed(id, 'agent'));
    return woken;
  }

  /** An internal note (内部备注): only agents ever see it. */
  async note(id: string, agent: AgentRef, text: string): Promise<{ agentId: string; text: string; at: string }> {
    const handoff = await this.get(id);
    const entry = await this.deps.audit.record(agent.id, 'note', { handoff, detail: { note: text } });
    return { agentId: entry.agentId, text, at: entry.at };
  }

  /** Moves a waiting handoff to the overflow group once; false when it moved or was taken meanwhile. */
  async overflow(handoff: Handoff, toGroup: string): Promise<boolean> {
    const at = this.deps.clock().toISOString();
    if (!(await this.deps.store.claimOnce(`overflow:${handoff.id}`, at))) return false;
    const moved = await this.deps.store.transferHandoff(handoff.id, { from: 'waiting', fromGroup: handoff.skillGroup, toGroup, at });
    if (!moved) return false;
    await this.deps.audit.record('system', 'transfer', { handoff, detail: { from: handoff.skillGroup, to: toGroup, note: 'overflow' } });
    const updated = await this.changed(handoff.id, 'queued');
    await this.queued(updated);
    this.deps.logger.info('handoff overflowed', { handoffId: handoff.id, from: handoff.skillGroup, to: toGroup });
    return true;
  }
}
