/**
 * Authenticates inbound Bot Framework activities with `botframework-connector`: the JWT must be
 * signed by a key from the OpenID metadata (endorsed for the activity's channel), issued by
 * the Bot Connector, addressed to our app id, and carry the activity's serviceUrl.
 *
 * Before the library runs, tokens it would route elsewhere are refused: emulator and skill
 * tokens (other issuers, other key sets) and the ASE channel. This bot only talks to the
 * public Bot Connector, and an attacker must not choose which key set a token is checked against.
 *
 * @module
 */
import {
  AuthenticationConstants,
  ChannelValidation,
  JwtTokenValidation,
  SimpleCredentialProvider,
  SkillValidation,
} from 'botframework-connector';
import { ChannelAuthUnavailableError, ChannelSignatureError } from '../channel-errors.js';

/** Settings of `TeamsAuthenticator`. */
export interface TeamsAuthOptions {
  /** The bot's Microsoft App ID; empty only in emulator mode. */
  appId: string | undefined;
  appPassword: string | undefined;
  /** Override of the OpenID metadata URL (tests). Process-wide: the library keeps it in a static. */
  openIdMetadataUrl?: string | undefined;
  /** Emulator mode: with an empty app id, accept activities without a token. */
  allowUnauthenticated: boolean;
}

/** The fields of the (not yet validated) activity that authentication looks at. */
export interface ActivityProbe {
  channelId: string;
  serviceUrl: string;
}

const BEARER = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_HEADER = 8192;
const ASE_CHANNEL = 'directlinease';

/** Checks the `Authorization` header of each inbound activity. */
export class TeamsAuthenticator {
  readonly #options: TeamsAuthOptions;
  readonly #credentials: SimpleCredentialProvider;

  constructor(options: TeamsAuthOptions) {
    this.#options = options;
    this.#credentials = new SimpleCredentialProvider(options.appId ?? '', options.appPassword ?? '');
    if (options.openIdMetadataUrl !== undefined) ChannelValidation.OpenIdMetadataEndpoint = options.openIdMetadataUrl;
  }

  /** Resolves when the request is authentic; throws `ChannelSignatureError` (401) otherwise. */
  async authenticate(header: string | undefined, activity: ActivityProbe): Promise<void> {
    const anonymous = this.#options.appId === undefined || this.#options.appId === '';
    if (anonymous) {
      // The library accepts anything when the app id is empty; only the explicit setting allows that.
      if (!this.#options.allowUnauthenticated) throw new ChannelSignatureError('Teams app id not configured');
      return;
    }
    if (header === undefined || header.length > MAX_HEADER || !BEARER.test(header)) {
      throw new ChannelSignatureError('Bot Framework token missing or malformed');
    }
    if (activity.channelId === ASE_CHANNEL || issuerOf(header) !== AuthenticationConstants.ToBotFromChannelTokenIssuer || SkillValidation.isSkillToken(header)) {
      throw new ChannelSignatureError('Bot Framework token not from the Bot Connector');
    }
    let serviceUrlClaim: unknown;
    try {
      const identity = await JwtTokenValidation.authenticateRequest(activity, header, this.#credentials, '');
      serviceUrlClaim = identity.getClaimValue(AuthenticationConstants.ServiceUrlClaim);
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      // 500 from the library means it could not load the signing keys: our problem, not the caller's.
      if (status === 500 || (error as Error).name === 'FetchError') {
        throw new ChannelAuthUnavailableError('Bot Framework signing keys unavailable', { cause: error });
      }
      throw new ChannelSignatureError('Bot Framework token rejected', { cause: error });
    }
    // The library skips this check when it cannot parse the serviceUrl, but replies (with the
    // bot's token) go to that URL: it must be exactly the one the Bot Connector signed.
    if (serviceUrlClaim !== activity.serviceUrl) throw new ChannelSignatureError('serviceUrl does not match the token');
  }
}

/** The `iss` claim of a JWT, read without verification (only to refuse early). */
function issuerOf(header: string): unknown {
  const payload = header.slice('Bearer '.length).split('.')[1] ?? '';
  try {
    return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: unknown }).iss;
  } catch {
    return undefined;
  }
}
