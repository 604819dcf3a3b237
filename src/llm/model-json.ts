/**
 * @module JSON output from models: a zod schema becomes the structured-output format sent to the
 * server, and the reply is parsed and validated with the same schema at the boundary.
 *
 * @example
 * const format = jsonResponseFormat('rewrite', rewriteSchema);
 * const { question } = parseModelJson(result, rewriteSchema);
 */
import { z } from 'zod';
import type { ChatResponseFormat, ChatResult } from './chat-model.js';
import { LlmBadOutputError } from './llm-errors.js';

// Keywords some OpenAI-compatible grammar engines reject; zod still enforces them on the reply.
const DROPPED_KEYWORDS = new Set(['$schema', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'format']);

/**
 * A `json_schema` response format from a zod object schema (`z.toJSONSchema`, draft 2020-12):
 * every property required and no others, as OpenAI strict structured outputs need. Range and
 * length keywords are left out of the wire schema and checked by `parseModelJson` instead.
 */
export function jsonResponseFormat(name: string, schema: z.ZodType): ChatResponseFormat {
  return { type: 'json_schema', name, schema: strip(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' })) as Record<string, unknown> };
}

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => !DROPPED_KEYWORDS.has(key))
      .map(([key, value]) => [key, key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, strip(child)])) : strip(value)]),
  );
}

/**
 * Parses a model reply as JSON and validates it with `schema`. Tolerates Markdown code fences
 * and text around the object (servers without structured outputs add them). Throws
 * `LlmBadOutputError`: `truncated` (stopped at the token limit), `content_filter`, `empty`,
 * `malformed_json` or `schema_mismatch`.
 */
export function parseModelJson<Schema extends z.ZodType>(result: Pick<ChatResult, 'text' | 'finishReason'>, schema: Schema): z.output<Schema> {
  if (result.finishReason === 'content_filter') throw new LlmBadOutputError('content_filter', 'the content filter stopped the model');
  const text = result.text.trim();
  if (text === '') throw new LlmBadOutputError('empty', 'the model returned no text');
  let value: unknown;
  try {
    value = JSON.parse(extractJsonObject(text));
  } catch (error) {
    if (result.finishReason === 'length') throw new LlmBadOutputError('truncated', 'the model stopped at the token limit', { cause: error });
    throw new LlmBadOutputError('malformed_json', 'the model reply is not valid JSON', { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new LlmBadOutputError('schema_mismatch', 'the model reply does not match the expected shape', { cause: parsed.error });
  return parsed.data;
}

/** The text from the first `{` to the last `}`, or the whole text when there is none. */
export function extractJsonObject(text: string): string {
  const unfenced = text.replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  const start = unfenced.indexOf('{');
  const end = unfenced.lastIndexOf('}');
  return start >= 0 && end > start ? unfenced.slice(start, end + 1) : unfenced;
}
