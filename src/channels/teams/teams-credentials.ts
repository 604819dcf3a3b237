/**
 * The bot's outbound credentials: an OAuth2 client-credentials token for the Bot Connector
 * (scope `https://api.botframework.com/.default`), put on every `ConnectorClient` request.
 *
 * `MicrosoftAppCredentials` gets the same token through MSAL, which only accepts https
 * authorities, so tests could not point it at a local login server. This subclass makes the
 * same single request with `fetch` to a configurable token URL; `AppCredentials` still caches
 * the token (until 5 minutes before it expires) and signs the requests.
 *
 * @module
 */
import { AppCredentials, AuthenticationConstants, type AuthenticatorResult } from 'botframework-connector';
import { z } from 'zod';
import { ChannelDeliveryError } from '../channel-errors.js';

const tokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });

/** Options of `BotCredentials`. */
export interface BotCredentialsOptions {
  appId: string;
  appPassword: string;
  /** Entra tenant of a single-tenant bot. Default: botframework.com (multi-tenant). */
  tenantId?: string | undefined;
  /** Token endpoint. Default: https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token. */
  tokenUrl?: string | undefined;
  /** Replaces global `fetch` (tests). */
  fetch?: typeof fetch;
}

/** `AppCredentials` that fetch the bot token with a plain client-credentials request. */
export class BotCredentials extends AppCredentials {
  readonly #password: string;
  readonly #tokenUrl: string;
  readonly #fetch: typeof fetch;

  constructor(options: BotCredentialsOptions) {
    const tenant = options.tenantId ?? AuthenticationConstants.DefaultChannelAuthTenant;
    super(options.appId, tenant);
    this.#password = options.appPassword;
    this.#tokenUrl = options.tokenUrl ?? `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${tenant}/oauth2/v2.0/token`;
    this.#fetch = options.fetch ?? fetch;
  }

  protected override async refreshToken(): Promise<AuthenticatorResult> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.appId,
      client_secret: this.#password,
      scope: `${this.oAuthScope}/.default`,
    });
    let response: Response;
    try {
      response = await this.#fetch(this.#tokenUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new ChannelDeliveryError('Teams token endpoint unreachable', undefined, { cause: (error as Error).name });
    }
    const parsed = tokenResponse.safeParse(response.ok ? await response.json().catch(() => undefined) : undefined);
    if (!parsed.success) throw new ChannelDeliveryError(`Teams token refused (HTTP ${response.status})`, response.status);
    return { accessToken: parsed.data.access_token, expiresOn: new Date(Date.now() + parsed.data.expires_in * 1000) };
  }
}
