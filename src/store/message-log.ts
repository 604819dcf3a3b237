import type { ConversationStore } from './conversation-store.js';
import type { EventBus } from './event-bus.js';
import type { NewMessage, StoredMessage } from './records.js';

/** Stores a message, then tells every listener (the customer's stream, the console). */
export class MessageLog {
  constructor(
    private readonly store: ConversationStore,
    private readonly events: EventBus,
  ) {}

  async append(message: NewMessage): Promise<StoredMessage> {
    const stored = await this.store.appendMessage(message);
    await this.events.publish({ type: 'message-created', conversationId: stored.conversationId, message: stored });
    return stored;
  }
}
