/**
 * Announces new handoffs in the Teams channel of their skill group (`TEAMS_HANDOFF_CHANNELS`),
 * with the summary and a link to the agent console. Every instance hears the event; a claim in
 * the store makes one of them post it.
 *
 * @module
 */
import type { Logger } from '../../logger.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import type { EventBus, StoreEvent } from '../../store/event-bus.js';
import type { Handoff } from '../../store/records.js';
import type { TeamsConnector } from './teams-connector.js';

/** Where a skill group's handoffs are announced: a Teams channel's conversation. */
export interface TeamsChannelTarget {
  serviceUrl: string;
  conversationId: string;
}

/** Dependencies of `TeamsHandoffAnnouncer`. */
export interface TeamsHandoffAnnouncerDeps {
  store: ConversationStore;
  events: EventBus;
  connector: TeamsConnector;
  /** Target channel per skill group id. */
  targets: Record<string, TeamsChannelTarget>;
  /** Public base URL of the service, for the console link; absent means no link. */
  publicBaseUrl?: string | undefined;
  clock: () => Date;
  logger: Logger;
}

/** Posts each waiting handoff once to its group's Teams channel. */
export class TeamsHandoffAnnouncer {
  #unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: TeamsHandoffAnnouncerDeps) {}

  start(): void {
    this.#unsubscribe ??= this.deps.events.subscribe((event) => this.onEvent(event));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  private onEvent(event: StoreEvent): void {
    if (event.type !== 'handoff-updated' || event.handoff.status !== 'waiting') return;
    const target = this.deps.targets[event.handoff.skillGroup];
    if (target === undefined) return;
    this.announce(event.handoff.id, event.handoff.skillGroup, target).catch((error: unknown) => {
      this.deps.logger.error('Teams handoff announcement failed', { handoffId: event.handoff.id, error: (error as Error).message });
    });
  }

  private async announce(handoffId: string, skillGroup: string, target: TeamsChannelTarget): Promise<void> {
    const { store, clock } = this.deps;
    // Keyed by group too: a handoff transferred to another group is announced there as well.
    if (!(await store.claimOnce(`teams:announce:${handoffId}:${skillGroup}`, clock().toISOString()))) return;
    // The event may carry a shortened summary; the store has all of it.
    const handoff = await store.getHandoff(handoffId);
    if (handoff === undefined) return;
    await this.deps.connector.post(target.serviceUrl, target.conversationId, announcementText(handoff, this.deps.publicBaseUrl));
  }
}

/**
 * The announcement: group, channel, summary and the console link. It is sent as plain text
 * (`post`), so words from the customer in the summary cannot become formatting or links.
 */
export function announcementText(handoff: Handoff, publicBaseUrl: string | undefined): string {
  const link =
    publicBaseUrl === undefined
      ? `Handoff ${handoff.id}`
      : `在客服工作台打开 / Open in the console: ${publicBaseUrl.replace(/\/+$/, '')}/agent#handoff=${encodeURIComponent(handoff.id)}`;
  return [
    `新的转人工 / New handoff · ${handoff.skillGroup} · ${handoff.context.channel}${handoff.priority > 0 ? ' · VIP' : ''}`,
    handoff.summary,
    link,
  ].join('\n\n');
}
