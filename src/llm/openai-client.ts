import OpenAI from 'openai';
import type { ClientOptions } from 'openai';

/**
 * Connection settings shared by the OpenAI chat and embeddings adapters. Works with OpenAI and
 * any OpenAI-compatible server (vLLM, Ollama, TEI, LM Studio…) through `baseURL`.
 *
 * Azure OpenAI: either the v1 endpoint (`baseURL: 'https://RESOURCE.openai.azure.com/openai/v1'`,
 * `apiKey` as usual), or the classic deployment endpoint:
 * `baseURL: 'https://RESOURCE.openai.azure.com/openai/deployments/DEPLOYMENT'`,
 * `defaultQuery: { 'api-version': '2024-10-21' }` and `azureApiKey` (sent as the `api-key`
 * header instead of `Authorization: Bearer`); see `azureDeploymentOptions`.
 */
export interface OpenAiConnectionOptions {
  /** Bearer key. Local servers that need none may leave it unset (a placeholder is sent). */
  apiKey?: string | undefined;
  /** API root, e.g. `http://127.0.0.1:8000/v1`. Default `https://api.openai.com/v1` (never read from env here). */
  baseURL?: string | undefined;
  /** Model (or Azure deployment) name. */
  model: string;
  /**
   * Deadline of one whole call in milliseconds, retries included (the SDK's own timeout is
   * per attempt). Default 30 000.
   */
  timeoutMs?: number | undefined;
  /** Retries on 408/409/429/5xx and connection errors, with the SDK's exponential backoff and jitter (0.5 s doubling, max 8 s, honours `retry-after`). Default 2. */
  maxRetries?: number | undefined;
  /** Custom fetch (openai-node `ClientOptions.fetch`), for tests and proxies. */
  fetch?: ClientOptions['fetch'];
  /** Query parameters on every request, e.g. `{ 'api-version': '2024-10-21' }` for Azure. */
  defaultQuery?: Record<string, string> | undefined;
  /** Extra headers on every request; a `null` value removes a header the SDK would send. */
  defaultHeaders?: Record<string, string | null> | undefined;
}

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 2;

/** Builds the SDK client; explicit options only, so `OPENAI_*` env vars never leak in silently. */
export function createOpenAiClient(options: OpenAiConnectionOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey ?? 'not-needed',
    baseURL: options.baseURL ?? DEFAULT_BASE_URL,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    organization: null,
    project: null,
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    ...(options.defaultQuery !== undefined ? { defaultQuery: options.defaultQuery } : {}),
    ...(options.defaultHeaders !== undefined ? { defaultHeaders: options.defaultHeaders } : {}),
  });
}

/**
 * Connection options for a classic Azure OpenAI deployment endpoint: the key travels in the
 * `api-key` header (no `Authorization`), the API version as a query parameter.
 */
export function azureDeploymentOptions(settings: {
  /** e.g. `https://my-resource.openai.azure.com` */
  endpoint: string;
  deployment: string;
  /** e.g. `2024-10-21` */
  apiVersion: string;
  apiKey: string;
}): Pick<OpenAiConnectionOptions, 'baseURL' | 'defaultQuery' | 'defaultHeaders' | 'model'> {
  const root = settings.endpoint.replace(/\/+$/, '');
  return {
    baseURL: `${root}/openai/deployments/${encodeURIComponent(settings.deployment)}`,
    model: settings.deployment,
    defaultQuery: { 'api-version': settings.apiVersion },
    defaultHeaders: { 'api-key': settings.apiKey, Authorization: null },
  };
}
