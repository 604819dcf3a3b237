/**
 * Errors of the channel adapters. Vendor failures are translated here, at the boundary, into
 * `AppError`s with a stable code; the HTTP error handler maps their status.
 *
 * @module
 */
import { AppError } from '../errors.js';

/** The request is not signed by the channel (bad WeChat signature, bad or missing Bot Framework JWT). */
export class ChannelSignatureError extends AppError {
  constructor(message = 'channel signature invalid', options?: { cause?: unknown }) {
    super('channel_signature_invalid', message, 401, options);
  }
}

/** The channel sent something this adapter cannot read (bad XML, wrong fields, undecryptable). */
export class ChannelPayloadError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 400, options);
  }
}

/** The channel's own authentication service could not be reached (e.g. the OpenID metadata). */
export class ChannelAuthUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('channel_auth_unavailable', message, 503, options);
  }
}

/** An outbound call to the channel failed; `vendorCode` is the channel's own error code, if any. */
export class ChannelDeliveryError extends AppError {
  constructor(
    message: string,
    readonly vendorCode?: number | string,
    options?: { cause?: unknown },
  ) {
    super('channel_delivery_failed', message, 502, options);
  }
}
