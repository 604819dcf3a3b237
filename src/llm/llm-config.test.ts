import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseDotEnv } from '../config.js';
import { llmConfigShape, resolveLlmSettings } from './llm-config.js';

const parse = (env: Record<string, string>) => z.object(llmConfigShape).parse(env);

describe('llm settings', () => {
  it('leave the LLM off without a key or base URL (embedded defaults)', () => {
    const settings = resolveLlmSettings(parse({}));
    expect(settings.chat).toBeUndefined();
    expect(settings.embeddings).toBeUndefined();
    expect(settings.intent).toBe(false);
  });

  it('turn answers, intent and redaction on for a remote server', () => {
    const settings = resolveLlmSettings(parse({ OPENAI_API_KEY: 'sk-test', LLM_TIMEOUT_MS: '5000' }));
    expect(settings.chat).toMatchObject({ apiKey: 'sk-test', model: 'gpt-4o-mini', timeoutMs: 5000, firstTokenTimeoutMs: 8000, maxRetries: 2 });
    expect(settings.intent).toBe(true);
    expect(settings.redact?.('13812345678')).toBe('[手机号]');
  });

  it('skip redaction for a model on this machine, and honour PII_REDACTION', () => {
    expect(resolveLlmSettings(parse({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' })).redact).toBeUndefined();
    expect(resolveLlmSettings(parse({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1', PII_REDACTION: 'on' })).redact).toBeDefined();
  });

  it('decide redaction for the embeddings server by its own URL', () => {
    const local = { OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1', EMBEDDINGS_MODEL: 'bge-m3' };
    expect(resolveLlmSettings(parse(local)).embeddingsRedact).toBeUndefined();
    const remoteEmbeddings = resolveLlmSettings(parse({ ...local, EMBEDDINGS_BASE_URL: 'https://api.example.com/v1' }));
    expect(remoteEmbeddings.redact).toBeUndefined();
    expect(remoteEmbeddings.embeddingsRedact?.('13812345678')).toBe('[手机号]');
  });

  it('configure embeddings with their own server, defaulting to the chat one', () => {
    const settings = resolveLlmSettings(parse({ OPENAI_API_KEY: 'k', EMBEDDINGS_MODEL: 'text-embedding-3-small', EMBEDDINGS_DIMENSIONS: '512' }));
    expect(settings.embeddings).toMatchObject({ apiKey: 'k', model: 'text-embedding-3-small', dimensions: 512, requestDimensions: true, batchSize: 64 });
    const local = resolveLlmSettings(parse({ EMBEDDINGS_MODEL: 'bge-m3', EMBEDDINGS_BASE_URL: 'http://127.0.0.1:11434/v1' }));
    expect(local.embeddings).toMatchObject({ baseURL: 'http://127.0.0.1:11434/v1', requestDimensions: false });
  });

  it('send the key as api-key for an Azure deployment endpoint', () => {
    const settings = resolveLlmSettings(
      parse({ OPENAI_API_KEY: 'az', OPENAI_BASE_URL: 'https://r.openai.azure.com/openai/deployments/gpt4o', OPENAI_API_VERSION: '2024-10-21' }),
    );
    expect(settings.chat).toMatchObject({ defaultQuery: { 'api-version': '2024-10-21' }, defaultHeaders: { 'api-key': 'az', Authorization: null } });
    expect(settings.chat?.apiKey).toBeUndefined();
  });

  it('ask DeepSeek and DashScope for JSON mode, other servers for structured outputs, unless told', () => {
    const mode = (env: Record<string, string>) => resolveLlmSettings(parse({ OPENAI_API_KEY: 'k', ...env })).chat?.jsonMode;
    expect(mode({ OPENAI_BASE_URL: 'https://api.deepseek.com/v1' })).toBe('json_object');
    expect(mode({ OPENAI_BASE_URL: 'https://dashscope.aliyuncs.com/compatible-mode/v1' })).toBe('json_object');
    expect(mode({ OPENAI_BASE_URL: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1' })).toBe('json_object');
    expect(mode({})).toBe('json_schema');
    expect(mode({ OPENAI_BASE_URL: 'http://localhost:11434/v1' })).toBe('json_schema');
    expect(mode({ OPENAI_BASE_URL: 'https://notdeepseek.com.example.org/v1' })).toBe('json_schema');
    expect(mode({ OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1', LLM_JSON_MODE: 'json_object' })).toBe('json_object');
    expect(mode({ OPENAI_BASE_URL: 'https://api.deepseek.com/v1', LLM_JSON_MODE: 'json_schema' })).toBe('json_schema');
  });

  it('reject bad values, naming the variable', () => {
    const result = z.object(llmConfigShape).safeParse({ LLM_TIMEOUT_MS: 'soon', OPENAI_BASE_URL: 'not a url' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0]).sort()).toEqual(['LLM_TIMEOUT_MS', 'OPENAI_BASE_URL']);
  });
});

describe('llm settings in the docs', () => {
  it('.env.example lists LLM_JSON_MODE and the answer token budget with their defaults', () => {
    const example = readFileSync(path.resolve('.env.example'), 'utf8');
    expect(example).toMatch(/^LLM_JSON_MODE=auto$/m);
    expect(example).toMatch(/json_schema[\s\S]*json_object[\s\S]*DeepSeek[\s\S]*DashScope[\s\S]*^LLM_JSON_MODE=/m);
    expect(example).toMatch(new RegExp(`^LLM_ANSWER_TOKEN_BUDGET=${parse({}).LLM_ANSWER_TOKEN_BUDGET}$`, 'm'));
  });

  it('the README has one complete .env block per provider, each a valid configuration', () => {
    const readme = readFileSync(path.resolve('README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```dotenv\n([\s\S]*?)```/g)].map((match) => match[1] ?? '').filter((block) => block.includes('OPENAI_BASE_URL='));
    const modeOf = (host: string) => {
      const found = blocks.filter((block) => block.includes(host));
      expect(found, host).toHaveLength(1);
      const env = parseDotEnv(found[0] ?? '');
      // Only settings, no comments: the block can be pasted into .env as it is.
      expect(Object.keys(env)).toHaveLength((found[0] ?? '').trim().split('\n').length);
      expect(env).toMatchObject({ CHAT_MODEL: expect.any(String), LLM_JSON_MODE: 'auto' });
      return resolveLlmSettings(parse(env)).chat?.jsonMode;
    };
    expect(readme).toMatch(/`LLM_JSON_MODE`[\s\S]*`json_schema`[\s\S]*`json_object`[\s\S]*`auto`/);
    expect(modeOf('api.openai.com')).toBe('json_schema');
    expect(modeOf('openai.azure.com')).toBe('json_schema');
    expect(modeOf('localhost:11434')).toBe('json_schema');
    expect(modeOf('localhost:8000')).toBe('json_schema');
    expect(modeOf('api.deepseek.com')).toBe('json_object');
    expect(modeOf('dashscope.aliyuncs.com')).toBe('json_object');
    expect(blocks).toHaveLength(6);
  });
});
