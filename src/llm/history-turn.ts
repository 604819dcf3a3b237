import type { MessageRole } from '../store/records.js';
import { clip, dataBlock } from './data-blocks.js';
import type { Redactor } from './pii-redaction.js';

/** One earlier message of the conversation, as prompts need it (a `StoredMessage` fits). */
export interface HistoryTurn {
  role: MessageRole;
  text: string;
}

/** How the turn's author is named inside prompts. */
const ROLE_NAMES: Record<MessageRole, string | undefined> = { customer: 'customer', bot: 'assistant', agent: 'agent', system: undefined };

export interface ConversationBlockOptions {
  /** Most recent turns kept. Default 6. */
  maxTurns?: number;
  /** Longest turn kept, in characters (longer ones are cut). Default 500. */
  maxTurnChars?: number;
  redact?: Redactor | undefined;
  tag?: 'conversation' | 'transcript';
}

/**
 * The `<conversation>` (or `<transcript>`) block: the last turns, oldest first, each in a
 * `<turn role="…">` data block, neutralized, cut and redacted; system messages are left out.
 */
export function conversationBlock(history: readonly HistoryTurn[], options: ConversationBlockOptions = {}): string {
  const tag = options.tag ?? 'conversation';
  const redact = options.redact ?? ((text: string) => text);
  const turns = history
    .filter((turn) => ROLE_NAMES[turn.role] !== undefined && turn.text.trim() !== '')
    .slice(-(options.maxTurns ?? 6))
    .map((turn) => dataBlock('turn', redact(clip(turn.text, options.maxTurnChars ?? 500)), { role: ROLE_NAMES[turn.role] ?? 'customer' }));
  return `<${tag}>\n${turns.length > 0 ? turns.join('\n') : '(none)'}\n</${tag}>`;
}
