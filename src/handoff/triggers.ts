/**
 * The configurable handoff triggers beyond "asked for a person" and failed turns: strong
 * feelings, chosen intents and customer tags. Pure; each is a setting (`HANDOFF_ON_EMOTION`,
 * `HANDOFF_INTENTS`, `HANDOFF_TAGS`).
 *
 * @module
 */
import type { HandoffReason } from '../store/records.js';
import type { Emotion } from './emotion/detect-emotion.js';

/** Which extra triggers are on. Empty lists turn a trigger off. */
export interface TriggerSettings {
  emotions: readonly Emotion[];
  intents: readonly string[];
  tags: readonly string[];
}

/**
 * The reason to hand off now, if any extra trigger fires: emotion first (an upset customer
 * should not wait for a rule), then intent, then tags. `intentSure` says the classifier's
 * confidence cleared its threshold; an unsure intent never triggers.
 */
export function extraTrigger(
  input: { emotion: Emotion; intent: string; intentSure: boolean; tags: readonly string[] },
  settings: TriggerSettings,
): Exclude<HandoffReason, 'asked' | 'failed_turns'> | undefined {
  if (settings.emotions.includes(input.emotion)) return 'emotion';
  if (input.intentSure && settings.intents.includes(input.intent)) return 'intent';
  if (settings.tags.some((tag) => input.tags.includes(tag))) return 'vip';
  return undefined;
}
