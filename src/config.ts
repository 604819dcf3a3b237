import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { llmConfigShape } from './llm/llm-config.js';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A comma-separated list; `off` or empty is the empty list. With `allowed`, only those values. */
function listFromEnv(allowed?: readonly [string, ...string[]]) {
  return z
    .string()
    .transform((value) => (value.trim() === '' || value.trim() === 'off' ? [] : value.split(',').map((item) => item.trim()).filter(Boolean)))
    .pipe(z.array(allowed ? z.enum(allowed) : z.string().min(1)));
}

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const encodingAesKey = z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey');

const teamsHandoffChannels = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.object({ serviceUrl: z.url(), conversationId: z.string().min(1) })));

/** Settings a channel needs together: one set without the others fails at start-up, naming them. */
function checkChannelSettings(config: Record<string, unknown>, context: z.RefinementCtx): void {
  const requires = (trigger: string, needed: string[]) => {
    if (config[trigger] === undefined) return;
    for (const key of needed) {
      if (config[key] === undefined) context.addIssue({ code: 'custom', path: [key], message: `required when ${trigger} is set` });
    }
  };
  requires('WECHAT_TOKEN', ['WECHAT_APP_ID', 'WECHAT_APP_SECRET']);
  requires('WECOM_TOKEN', ['WECOM_CORP_ID', 'WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_ENCODING_AES_KEY']);
  requires('TEAMS_APP_ID', ['TEAMS_APP_PASSWORD']);
  if (config.TEAMS_ALLOW_UNAUTHENTICATED === true && (config.TEAMS_APP_ID !== undefined || config.NODE_ENV === 'production')) {
    context.addIssue({ code: 'custom', path: ['TEAMS_ALLOW_UNAUTHENTICATED'], message: 'only with an empty TEAMS_APP_ID, outside production' });
  }
}

/**
 * Every setting of the service, read from the environment (and `.env`). Each key is the
 * environment variable's name; `.env.example` documents them with defaults and units.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** TCP port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind; 0.0.0.0 in containers. */
  HOST: z.string().default('0.0.0.0'),
  /** Where the embedded engines keep their files (SQLite database, KB snapshots). */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Folder of the knowledge-base source files. */
  KNOWLEDGE_DIR: z.string().min(1).default('./knowledge'),
  /** Folder of prompt templates and intent examples. */
  PROMPTS_DIR: z.string().min(1).default('./prompts'),
  /** Service token for agent routes and integrations; a random one is printed at start-up when unset. */
  AGENT_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** PostgreSQL connection string; unset means the embedded SQLite store. */
  DATABASE_URL: optionalString.pipe(z.url().optional()),
  /**
   * SQLite's `synchronous` in WAL mode: `normal` survives a crash of the process (nothing it
   * acknowledged is lost) and may lose the last commits on a power cut; `full` also survives
   * that, at an fsync per commit.
   */
  SQLITE_SYNCHRONOUS: z.enum(['normal', 'full']).default('normal'),
  /**
   * Where SQLite's WAL checkpoints run: `inline` (SQLite's own, inside the commit that crosses
   * 1,000 WAL pages, which then takes a few ms) or `worker` (a worker thread: no such stalls, about
   * 10 MiB more memory). See `npm run bench:sqlite`.
   */
  SQLITE_WAL_CHECKPOINTS: z.enum(['inline', 'worker']).default('inline'),
  /** Qdrant base URL (e.g. http://qdrant:6333); unset means the embedded index. */
  QDRANT_URL: optionalString.pipe(z.url().optional()),
  /** Qdrant API key, sent as the api-key header. */
  QDRANT_API_KEY: optionalString,
  /** Prefix of the per-version collections (<prefix>_v<N>) and the live alias (<prefix>_live). */
  QDRANT_COLLECTION_PREFIX: z.string().regex(/^[a-z0-9_]{1,40}$/, 'lowercase letters, digits and _').default('kefu_kb'),
  /** Consecutive failed bot turns before a handoff to a person. */
  HANDOFF_AFTER_FAILED_TURNS: z.coerce.number().int().min(1).max(20).default(3),
  /** Minimum retrieval confidence (0..1) for the bot to answer from the KB. */
  ANSWER_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.3),
  /** Minimum retrieval confidence (0..1) when the classifier says the message is off-topic. */
  ANSWER_OFF_TOPIC_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
  /** Minimum classifier confidence (0..1) to act on a non-FAQ intent. */
  INTENT_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.55),
  /** Longest customer or agent message accepted, in characters. */
  MAX_MESSAGE_CHARS: z.coerce.number().int().min(1).max(100_000).default(4000),
  /** New conversations one client IP may start per minute. */
  CONVERSATIONS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Customer messages one conversation may send per minute. */
  MESSAGES_PER_CONVERSATION_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /**
   * Sites that may embed the chat widget, space- or comma-separated origins such as
   * https://shop.example.com; `*` (default) allows any site.
   */
  WIDGET_ALLOWED_ORIGINS: z
    .string()
    .default('*')
    .transform((value) => value.split(/[\s,]+/).filter((origin) => origin !== ''))
    .pipe(z.array(z.string().regex(/^(\*|https?:\/\/[^\s/;']+)$/, 'origins like https://shop.example.com, or *'))),
  /** Serve Prometheus metrics at /metrics (true/false). */
  METRICS_ENABLED: booleanFromEnv.default(true),
  /** How often the server checks for a newly published KB version, in milliseconds. */
  KB_RELOAD_INTERVAL_MS: z.coerce.number().int().min(0).default(2000),
  /** error | warn | info | debug */
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** json in production, pretty otherwise. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /**
   * How far V8 lets the old generation grow past what survived the last full GC, in percent;
   * 0 leaves V8's own choice, which on a big machine lets a busy server's heap reach several
   * times its live size.
   */
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(20),
  /** Publish the KB on start when no version is live yet. */
  AUTO_PUBLISH: booleanFromEnv.default(true),

  /** A customer asking for a person (any language, any channel) hands off; false: an honest "not here" reply. */
  HANDOFF_ON_REQUEST: booleanFromEnv.default(true),
  /** Emotions that hand off at once (comma list of angry, upset, anxious), or `off`. */
  HANDOFF_ON_EMOTION: listFromEnv(['angry', 'upset', 'anxious']).default(['angry']),
  /** Intents that hand off at once (comma list, e.g. complaint), or `off`. */
  HANDOFF_INTENTS: listFromEnv().default(['complaint']),
  /** Customer tags that hand off at once (comma list, e.g. vip), or `off`. */
  HANDOFF_TAGS: listFromEnv().default([]),
  /** In business hours but nobody signed in: open a ticket instead of queueing. */
  HANDOFF_TICKET_WHEN_NOBODY_ONLINE: booleanFromEnv.default(true),
  /** Give queued chats to the least busy available agent of the group; false: agents accept them. */
  HANDOFF_AUTO_ASSIGN: booleanFromEnv.default(true),
  /** How often queues are checked for overflow and webhooks for retries, in ms; 0 turns it off. */
  HANDOFF_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
  /** Hours an agent's sign-in lasts. */
  AGENT_SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  /** Days a once-only claim (a channel message id, a delivery, a sweep's mark) is kept before it is pruned. */
  DEDUPE_KEY_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(7),
  /** Wrong passwords allowed per IP and username per 15 minutes. */
  AGENT_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Webhook tries before a delivery is kept as failed. */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** Wait before the first webhook retry, in ms; doubles per try, at most 10 minutes. */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5000),
  /** Timeout of one webhook request, in ms. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),

  /** WeChat Official Account: the Token from the admin console; setting it mounts GET|POST /channels/wechat. */
  WECHAT_TOKEN: optionalString,
  /** WeChat Official Account AppID (wx…): the receive id in safe mode and the customer-service API account. */
  WECHAT_APP_ID: optionalString,
  /** WeChat Official Account AppSecret, for the customer-service API's access token. */
  WECHAT_APP_SECRET: optionalString,
  /** 43-character EncodingAESKey; set for safe (AES) mode, in which unencrypted pushes are refused. */
  WECHAT_ENCODING_AES_KEY: optionalString.pipe(encodingAesKey.optional()),
  /** Base URL of the WeChat API; tests point it at a local server. */
  WECHAT_API_BASE_URL: optionalString.pipe(z.url().default('https://api.weixin.qq.com')),
  /** WeCom (企业微信) app callback Token; setting it mounts GET|POST /channels/wecom. */
  WECOM_TOKEN: optionalString,
  /** WeCom CorpID (ww…): the receive id of every encrypted callback. */
  WECOM_CORP_ID: optionalString,
  /** WeCom AgentId of the app (a number) that sends the asynchronous replies. */
  WECOM_AGENT_ID: optionalString.pipe(z.string().regex(/^\d{1,12}$/, 'a number').transform(Number).optional()),
  /** WeCom app Secret, for the message API's access token. */
  WECOM_SECRET: optionalString,
  /** WeCom 43-character EncodingAESKey (WeCom always encrypts). */
  WECOM_ENCODING_AES_KEY: optionalString.pipe(encodingAesKey.optional()),
  /** Base URL of the WeCom API; tests point it at a local server. */
  WECOM_API_BASE_URL: optionalString.pipe(z.url().default('https://qyapi.weixin.qq.com')),
  /**
   * How long a WeChat or WeCom turn may run before the answer goes out through the
   * customer-service API instead of the passive reply, in ms; 0 sends every answer through the
   * API. WeChat gives up after 5,000.
   */
  WECHAT_PASSIVE_REPLY_BUDGET_MS: z.coerce.number().int().min(0).max(4500).default(4000),
  /** Microsoft App ID of the Teams bot (the JWT audience); setting it mounts POST /channels/teams/messages. */
  TEAMS_APP_ID: optionalString,
  /** Client secret of the Teams bot's app registration, for outbound calls. */
  TEAMS_APP_PASSWORD: optionalString,
  /** Entra tenant of a single-tenant bot; unset means the multi-tenant botframework.com tenant. */
  TEAMS_TENANT_ID: optionalString,
  /** Override of the Bot Framework OpenID metadata URL (tests serve their own keys). */
  TEAMS_OPENID_METADATA_URL: optionalString.pipe(z.url().optional()),
  /** Token endpoint for the bot's outbound token; default https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token. */
  TEAMS_TOKEN_URL: optionalString.pipe(z.url().optional()),
  /** Accept unauthenticated activities with an empty TEAMS_APP_ID (Bot Framework Emulator); never in production. */
  TEAMS_ALLOW_UNAUTHENTICATED: booleanFromEnv.default(false),
  /** JSON map of skill group to the Teams channel where its handoffs are announced: {"<group>":{"serviceUrl","conversationId"}}. */
  TEAMS_HANDOFF_CHANNELS: optionalString.pipe(teamsHandoffChannels.optional()),
  /** Public base URL of this service, for links sent to agents elsewhere (Teams announcements), e.g. https://kefu.example.com. */
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  /** Cosine similarity of dense embeddings that counts as no match at all (confidence 0); 1 is a certain match. */
  EMBEDDINGS_MIN_SIMILARITY: z.coerce.number().min(0).max(0.99).default(0.5),
  ...llmConfigShape,
}).superRefine(checkChannelSettings);

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses a `.env` file: KEY=value lines, `#` comments, optional quotes. */
export function parseDotEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2] ?? '';
    const quoted = /^(['"])(.*)\1(?:\s+#.*)?$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    else value = value.replace(/\s+#.*$/, '');
    values[match[1] as string] = value;
  }
  return values;
}

/**
 * Builds the config from `env` (wins) and the `.env` file in `cwd`, failing with a message that
 * names every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const dotEnvPath = path.join(cwd, '.env');
  const fromFile = existsSync(dotEnvPath) ? parseDotEnv(readFileSync(dotEnvPath, 'utf8')) : {};
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const key of Object.keys(configSchema.shape)) {
    if (env[key] !== undefined) merged[key] = env[key];
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = issue.path.join('.');
      return `  ${key}=${JSON.stringify(merged[key] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}
