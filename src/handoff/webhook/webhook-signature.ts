/**
 * Webhook signatures: `X-Kefu-Signature: sha256=<hex>` is HMAC-SHA256 over `<timestamp>.<body>`
 * with the group's secret, and `X-Kefu-Timestamp` is Unix seconds, so a receiver can reject
 * both forged and replayed requests.
 *
 * @example
 * // Receiver side:
 * verifyWebhookSignature({ secret, body: rawBody, timestamp: headers['x-kefu-timestamp'], signature: headers['x-kefu-signature'], now: new Date() });
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers that carry the signature. */
export const SIGNATURE_HEADER = 'X-Kefu-Signature';
export const TIMESTAMP_HEADER = 'X-Kefu-Timestamp';
export const DELIVERY_HEADER = 'X-Kefu-Delivery';

/** `sha256=<hex>` for `body` sent at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when the signature matches and the timestamp is within `toleranceSeconds` of `now`. */
export function verifyWebhookSignature(input: {
  secret: string; body: string; timestamp: string | undefined; signature: string | undefined; now: Date; toleranceSeconds?: number;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!Number.isInteger(timestamp) || input.signature === undefined) return false;
  if (Math.abs(input.now.getTime() / 1000 - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
