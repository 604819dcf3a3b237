/**
 * Storing CSAT ratings (满意度评价) for the latest resolved handoff of a conversation, from the
 * web card or a bare "1"-"5" reply on other channels.
 *
 * @module
 */
import { ConflictError } from '../errors.js';
import type { ConversationStore } from '../store/conversation-store.js';
import type { Rating } from '../store/console-records.js';

/** How long after resolution a bare digit still counts as a rating. */
export const RATING_WINDOW_MS = 24 * 3_600_000;

/** Rates resolved handoffs once each, from the web card or a bare digit reply. */
export class CsatService {
  constructor(private readonly deps: { store: ConversationStore; clock: () => Date }) {}

  /**
   * Rates the conversation's latest handoff if it is resolved and unrated. Throws
   * `ConflictError` when there is nothing to rate or it was rated already.
   */
  async rate(conversationId: string, score: number, comment?: string): Promise<Rating> {
    const { store, clock } = this.deps;
    const handoff = await store.latestHandoff(conversationId);
    const conversation = await store.getConversation(conversationId);
    if (!handoff || handoff.status !== 'resolved' || !conversation) throw new ConflictError('nothing_to_rate', 'no resolved conversation to rate');
    const rating: Rating = {
      handoffId: handoff.id, conversationId, skillGroup: handoff.skillGroup, score, channel: conversation.channel, at: clock().toISOString(),
      ...(handoff.agentId ? { agentId: handoff.agentId } : {}),
      ...(comment ? { comment } : {}),
    };
    if (!(await store.saveRating(rating))) throw new ConflictError('already_rated', 'this conversation was rated already');
    return rating;
  }

  /** Whether a bare digit from this conversation now should be read as a rating. */
  async awaitsRating(conversationId: string): Promise<boolean> {
    const handoff = await this.deps.store.latestHandoff(conversationId);
    if (!handoff || handoff.status !== 'resolved' || !handoff.resolvedAt) return false;
    if (this.deps.clock().getTime() - Date.parse(handoff.resolvedAt) > RATING_WINDOW_MS) return false;
    return (await this.deps.store.getRating(handoff.id)) === undefined;
  }
}
