/**
 * @module `prompts/intents.yaml`: descriptions and training examples for every intent.
 *
 * @example
 * const classifier = EmbeddedIntentClassifier.train(intentExamples(loadIntentsFile('prompts/intents.yaml')));
 */
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Lang } from '../text/lang.js';
import { INTENTS } from './intent-classifier.js';
import type { Intent } from './intent-classifier.js';

// YAML reads `88` (bye) as a number; an example is text either way.
const example = z
  .union([z.string(), z.number()], { error: 'must be text' })
  .transform(String)
  .pipe(z.string().trim().min(1, 'must not be empty'));

const examplesSchema = z.strictObject({
  zh: z.array(example).min(1, 'needs at least one example'),
  en: z.array(example).min(1, 'needs at least one example'),
});

const intentSchema = z.strictObject({
  description: z.string().trim().min(1, 'must not be empty'),
  examples: examplesSchema,
});

/** The file's schema; every intent of `INTENTS` must be present, and no other. */
export const intentsFileSchema = z.strictObject({
  version: z.literal(1),
  intents: z.record(z.enum(INTENTS), intentSchema),
});

export type IntentsFile = z.output<typeof intentsFileSchema>;

/** One training sentence. */
export interface IntentExample {
  text: string;
  intent: Intent;
  lang: Lang;
}

/**
 * Reads and validates an intents file. Throws an Error naming the file, the field path
 * (e.g. `intents.greeting.examples.zh`) and, when known, its line.
 */
export function loadIntentsFile(path: string): IntentsFile {
  return parseIntentsFile(readFileSync(path, 'utf8'), path);
}

/** Validates the YAML `content` of an intents file; `path` is only used in error messages. */
export function parseIntentsFile(content: string, path: string): IntentsFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(content, { lineCounter, uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError !== undefined) {
    const line = yamlError.linePos?.[0]?.line;
    throw new Error(`${path}${line === undefined ? '' : `:${line}`}: not valid YAML: ${yamlError.message.split('\n')[0] ?? ''}`);
  }
  const result = intentsFileSchema.safeParse(document.toJS());
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const fieldPath = (issue?.path ?? []).map(String);
  // A missing field has no node: point at the closest parent that exists.
  let line = '';
  for (let depth = fieldPath.length; depth >= 0 && line === ''; depth -= 1) {
    const node = document.getIn(fieldPath.slice(0, depth), true);
    if (isNode(node) && node.range) line = `:${lineCounter.linePos(node.range[0]).line}`;
  }
  throw new Error(`${path}${line}: ${fieldPath.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
}

/** Flattens a file into training examples, in file order (intent, then zh before en). */
export function intentExamples(file: IntentsFile): IntentExample[] {
  return INTENTS.flatMap((intent) => {
    const { zh, en } = file.intents[intent].examples;
    return [
      ...zh.map((text) => ({ text, intent, lang: 'zh' as const })),
      ...en.map((text) => ({ text, intent, lang: 'en' as const })),
    ];
  });
}
