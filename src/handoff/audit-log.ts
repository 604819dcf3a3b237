/**
 * Every agent action goes to the `agent_actions` table: who, what, which conversation, when.
 * Internal notes live here too, so they can never reach a customer's transcript.
 *
 * @module
 */
import type { AgentAction } from '../store/console-records.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { Handoff } from '../store/records.js';

/** Action names written to the log. */
export type AgentActionName =
  | 'login' | 'logout' | 'status' | 'accept' | 'assign' | 'reply' | 'note' | 'transfer' | 'return_to_bot' | 'resolve' | 'helpdesk_reply' | 'snooze';

/** Appends to the audit log. */
export class AuditLog {
  constructor(private readonly deps: { store: ConversationStore; clock: () => Date; newId: () => string }) {}

  async record(agentId: string, action: AgentActionName, target: { handoff?: Handoff; detail?: Record<string, unknown> } = {}): Promise<AgentAction> {
    const entry: AgentAction = {
      id: this.deps.newId(),
      agentId,
      action,
      ...(target.handoff ? { handoffId: target.handoff.id, conversationId: target.handoff.conversationId } : {}),
      detail: target.detail ?? {},
      at: this.deps.clock().toISOString(),
    };
    await this.deps.store.recordAgentAction(entry);
    return entry;
  }

  /** Internal notes of a handoff, oldest first. */
  async notes(handoffId: string): Promise<Array<{ agentId: string; text: string; at: string }>> {
    const actions = await this.deps.store.listAgentActions({ handoffId, limit: 200 });
    return actions
      .filter((action) => action.action === 'note' || action.action === 'transfer')
      .map((action) => ({ agentId: action.agentId, text: String(action.detail.note ?? ''), at: action.at }))
      .filter((note) => note.text !== '')
      .reverse();
  }
}
