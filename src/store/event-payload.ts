/**
 * Store events as NOTIFY payloads. PostgreSQL refuses payloads of 8,000 bytes or more, so long
 * texts are cut: the event says something changed, and the store keeps the full text for
 * whoever needs it (`listMessages`, `getHandoff`).
 *
 * @module
 */
import type { StoreEvent } from './event-bus.js';
import { storeEventSchema } from './record-schemas.js';
import { StoreError } from './store-errors.js';

/** Longest message text (in characters) an event carries; the store holds the rest. */
export const EVENT_TEXT_LIMIT = 2_000;
/** Largest payload sent, under PostgreSQL's 8,000-byte NOTIFY limit. */
export const EVENT_PAYLOAD_BYTE_LIMIT = 7_500;

// Chinese text takes 3 bytes a character, so 2,000 characters may still be too many.
const FALLBACK_LIMITS = [EVENT_TEXT_LIMIT, 1_000, 500, 100, 0];

/** Serializes `event` to JSON of at most `EVENT_PAYLOAD_BYTE_LIMIT` bytes, cutting texts if needed. */
export function encodeEvent(event: StoreEvent): string {
  for (const limit of FALLBACK_LIMITS) {
    const payload = JSON.stringify(capTexts(event, limit));
    if (Buffer.byteLength(payload, 'utf8') <= EVENT_PAYLOAD_BYTE_LIMIT) return payload;
  }
  throw new StoreError('event_too_large', `Store event ${event.type} does not fit in a NOTIFY payload`);
}

/** Parses a payload written by `encodeEvent`, possibly by another instance or version. */
export function decodeEvent(payload: string): StoreEvent {
  let json: unknown;
  try {
    json = JSON.parse(payload) as unknown;
  } catch (error) {
    throw new StoreError('event_payload_invalid', 'Store event payload is not JSON', { cause: error });
  }
  const result = storeEventSchema.safeParse(json);
  if (!result.success) {
    throw new StoreError('event_payload_invalid', `Store event payload is invalid: ${result.error.message}`, {
      cause: result.error,
    });
  }
  return result.data;
}

function capTexts(event: StoreEvent, limit: number): StoreEvent {
  switch (event.type) {
    case 'message-created':
      return { ...event, message: { ...event.message, text: cut(event.message.text, limit) } };
    case 'handoff-updated': {
      const { handoff } = event;
      const context = { ...handoff.context };
      if (context.triggerMessage !== undefined) context.triggerMessage = cut(context.triggerMessage, limit);
      return { ...event, handoff: { ...handoff, summary: cut(handoff.summary, limit), context } };
    }
    case 'conversation-updated':
    case 'typing':
    case 'viewing':
      return event;
  }
}

/** Cuts by code point, so a character outside the BMP (an emoji) is never split. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const codePoints = Array.from(text);
  return codePoints.length <= limit ? text : codePoints.slice(0, limit).join('');
}
