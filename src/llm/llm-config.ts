/**
 * @module The llm module's settings, as a zod shape to spread into `configSchema` (src/config.ts),
 * and the pure step from parsed settings to adapter options for `main.ts`.
 *
 * @example
 * // config.ts:  export const configSchema = z.object({ ...otherSettings, ...llmConfigShape });
 * // main.ts:    const llm = resolveLlmSettings(config);
 * //             const chat = llm.chat && new ResilientChatModel(new OpenAiChatModel(llm.chat), llm.resilience);
 */
import { z } from 'zod';
import type { JsonMode, OpenAiChatModelOptions } from './openai-chat-model.js';
import type { OpenAiEmbedderOptions } from './openai-embedder.js';
import { redactPii, shouldRedact } from './pii-redaction.js';
import type { Redactor } from './pii-redaction.js';
import type { ResilientChatModelOptions } from './resilient-chat-model.js';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));
const switchSetting = z.enum(['auto', 'on', 'off']).default('auto');
const milliseconds = (fallback: number) => z.coerce.number().int().min(100).max(600_000).default(fallback);

/** Every llm setting; the key is the environment variable. Defaults and units in the comments. */
export const llmConfigShape = {
  /** Key of the chat model server (and of the embeddings server unless EMBEDDINGS_API_KEY is set). Secret. */
  OPENAI_API_KEY: optionalText,
  /** Chat API root, e.g. http://127.0.0.1:8000/v1. Default https://api.openai.com/v1. */
  OPENAI_BASE_URL: optionalText.pipe(z.url().optional()),
  /** Azure classic deployment endpoints only: the api-version query value; the key then goes in the api-key header. */
  OPENAI_API_VERSION: optionalText,
  /** Chat model (or Azure deployment). Default gpt-4o-mini. */
  CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** How JSON output is requested: auto (json_object for DeepSeek and DashScope, json_schema elsewhere), json_schema, json_object. */
  LLM_JSON_MODE: z.enum(['auto', 'json_schema', 'json_object']).default('auto'),
  /** Grounded LLM answers: auto (on when OPENAI_API_KEY or OPENAI_BASE_URL is set), on, off (extractive). */
  LLM_ANSWERS: switchSetting,
  /** LLM second opinion on unclear intents: auto (follows LLM_ANSWERS), on, off. */
  LLM_INTENT: switchSetting,
  /** Deadline of the model work of one customer turn (every call, retries included), in milliseconds; past it the KB answers. Default 20000. */
  LLM_TIMEOUT_MS: milliseconds(20_000),
  /** Streaming: deadline for the first token, in milliseconds. Default 8000. */
  LLM_FIRST_TOKEN_TIMEOUT_MS: milliseconds(8_000),
  /** Retries on 429/5xx/connection errors (exponential backoff with jitter). Default 2. */
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Consecutive failed calls that open the circuit breaker. Default 5. */
  LLM_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** How long the breaker stays open before a trial call, in milliseconds. Default 30000. */
  LLM_BREAKER_COOLDOWN_MS: milliseconds(30_000),
  /** Estimated tokens of a whole answer prompt (instructions, history, KB passages, question). Default 3000. */
  LLM_ANSWER_TOKEN_BUDGET: z.coerce.number().int().min(100).max(100_000).default(3000),
  /** Upper bound on an answer's generated tokens. Default 800. */
  LLM_ANSWER_MAX_TOKENS: z.coerce.number().int().min(50).max(8000).default(800),
  /** Embeddings model; unset means sparse retrieval only. */
  EMBEDDINGS_MODEL: optionalText,
  /** Embeddings API root. Default OPENAI_BASE_URL. */
  EMBEDDINGS_BASE_URL: optionalText.pipe(z.url().optional()),
  /** Embeddings key. Default OPENAI_API_KEY. Secret. */
  EMBEDDINGS_API_KEY: optionalText,
  /** Expected vector length; checked on every response (and sent for text-embedding-3 models). */
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(65_536).optional(),
  /** Texts per embeddings request. Default 64. */
  EMBEDDINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  /** Redact phones, ID numbers, bank cards and e-mails before text leaves: auto (remote servers only), on, off. */
  PII_REDACTION: switchSetting,
};

export type LlmConfig = z.output<z.ZodObject<typeof llmConfigShape>>;

export interface LlmSettings {
  /** Options for `OpenAiChatModel`; undefined when LLM answers are off. */
  chat: OpenAiChatModelOptions | undefined;
  /** Options for `ResilientChatModel` around it (metrics and logger are added by main). */
  resilience: Pick<ResilientChatModelOptions, 'timeoutMs' | 'firstTokenTimeoutMs' | 'breaker'>;
  /** Whether to wrap the embedded intent classifier in `CompositeIntentClassifier`. */
  intent: boolean;
  answerTokenBudget: number;
  answerMaxTokens: number;
  /** Options for `OpenAiEmbedder`; undefined without EMBEDDINGS_MODEL. */
  embeddings: OpenAiEmbedderOptions | undefined;
  /** Redactor for text sent to the chat model; undefined when redaction is off. */
  redact: Redactor | undefined;
  /** Redactor for customer questions sent to the embeddings server, which may be another host. */
  embeddingsRedact: Redactor | undefined;
}

/** Derives adapter options from parsed settings (pure; no client is created here). */
export function resolveLlmSettings(config: LlmConfig): LlmSettings {
  const enabled = config.LLM_ANSWERS === 'on' || (config.LLM_ANSWERS === 'auto' && (config.OPENAI_API_KEY !== undefined || config.OPENAI_BASE_URL !== undefined));
  const azure = config.OPENAI_API_VERSION !== undefined;
  const chat: OpenAiChatModelOptions = {
    apiKey: azure ? undefined : config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.CHAT_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    firstTokenTimeoutMs: config.LLM_FIRST_TOKEN_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    jsonMode: config.LLM_JSON_MODE === 'auto' ? defaultJsonMode(config.OPENAI_BASE_URL) : config.LLM_JSON_MODE,
    ...(azure
      ? { defaultQuery: { 'api-version': config.OPENAI_API_VERSION ?? '' }, defaultHeaders: { 'api-key': config.OPENAI_API_KEY ?? '', Authorization: null } }
      : {}),
  };
  const embeddingsBaseURL = config.EMBEDDINGS_BASE_URL ?? config.OPENAI_BASE_URL;
  return {
    chat: enabled ? chat : undefined,
    resilience: {
      timeoutMs: config.LLM_TIMEOUT_MS,
      firstTokenTimeoutMs: config.LLM_FIRST_TOKEN_TIMEOUT_MS,
      breaker: { failureThreshold: config.LLM_BREAKER_FAILURES, cooldownMs: config.LLM_BREAKER_COOLDOWN_MS },
    },
    intent: enabled && config.LLM_INTENT !== 'off',
    answerTokenBudget: config.LLM_ANSWER_TOKEN_BUDGET,
    answerMaxTokens: config.LLM_ANSWER_MAX_TOKENS,
    embeddings:
      config.EMBEDDINGS_MODEL === undefined
        ? undefined
        : {
            apiKey: config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY,
            baseURL: embeddingsBaseURL,
            model: config.EMBEDDINGS_MODEL,
            dimensions: config.EMBEDDINGS_DIMENSIONS,
            requestDimensions: config.EMBEDDINGS_DIMENSIONS !== undefined && config.EMBEDDINGS_MODEL.startsWith('text-embedding-3'),
            batchSize: config.EMBEDDINGS_BATCH_SIZE,
            timeoutMs: config.LLM_TIMEOUT_MS,
            maxRetries: config.LLM_MAX_RETRIES,
          },
    redact: shouldRedact(config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1', config.PII_REDACTION) ? (text) => redactPii(text) : undefined,
    embeddingsRedact: shouldRedact(embeddingsBaseURL ?? 'https://api.openai.com/v1', config.PII_REDACTION) ? (text) => redactPii(text) : undefined,
  };
}

/** Servers known to reject `response_format: json_schema` but to honour `json_object`. */
const JSON_OBJECT_HOSTS = [/(^|\.)deepseek\.com$/, /^dashscope(-[a-z]+)?\.aliyuncs\.com$/];

/** The JSON mode a server at `baseURL` understands: `json_object` for DeepSeek and DashScope, else `json_schema`. */
export function defaultJsonMode(baseURL: string | undefined): JsonMode {
  if (baseURL === undefined) return 'json_schema';
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase();
  } catch {
    return 'json_schema';
  }
  return JSON_OBJECT_HOSTS.some((pattern) => pattern.test(host)) ? 'json_object' : 'json_schema';
}
