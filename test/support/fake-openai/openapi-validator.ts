/**
 * @module Validates request bodies against the official OpenAI OpenAPI 3.1 document
 * (a byte-identical copy of the project's `specs/openai-openapi.yaml` sits beside this file, so a
 * fresh clone tests offline; JSON Schema 2020-12) with Ajv. The 3 MB YAML is
 * parsed once per process (and cached as JSON in the OS temp dir, keyed by its hash); the
 * compiled validators are cached too.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

export const OPENAI_SPEC_PATH = process.env['OPENAI_SPEC_PATH'] ?? fileURLToPath(new URL('./openai-openapi.yaml', import.meta.url));
const SPEC_ID = 'https://kefu.local/openai-openapi.json';

/** The request schemas the fake checks, by operation. */
export const REQUEST_SCHEMAS = {
  createChatCompletion: 'CreateChatCompletionRequest',
  createEmbedding: 'CreateEmbeddingRequest',
} as const;
export type Operation = keyof typeof REQUEST_SCHEMAS;

export type RequestValidator = (operation: Operation, body: unknown) => ErrorObject[];

let validatorPromise: Promise<RequestValidator> | undefined;

/** The shared validator; the first call loads and compiles (a second or two), later ones are free. */
export function openAiRequestValidator(): Promise<RequestValidator> {
  validatorPromise ??= Promise.resolve().then(buildValidator);
  return validatorPromise;
}

function buildValidator(): RequestValidator {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: under NodeNext its plugin is the `default` of the default import.
  addFormats.default(ajv);
  ajv.addSchema(loadSpec(), SPEC_ID);
  const compiled = new Map<Operation, ValidateFunction>();
  return (operation, body) => {
    let validate = compiled.get(operation);
    if (!validate) {
      const found = ajv.getSchema(`${SPEC_ID}#/components/schemas/${REQUEST_SCHEMAS[operation]}`);
      if (!found) throw new Error(`schema ${REQUEST_SCHEMAS[operation]} not in the spec`);
      compiled.set(operation, (validate = found));
    }
    return validate(body) ? [] : [...(validate.errors ?? [])];
  };
}

function loadSpec(): object {
  const yamlText = readFileSync(OPENAI_SPEC_PATH, 'utf8');
  const hash = createHash('sha256').update(yamlText).digest('hex').slice(0, 16);
  const cacheFile = path.join(tmpdir(), `kefu-openai-spec-${hash}.json`);
  if (existsSync(cacheFile)) {
    try {
      return JSON.parse(readFileSync(cacheFile, 'utf8')) as object;
    } catch {
      // A torn or foreign cache file: rebuild it below.
    }
  }
  const spec = fixNullable(parseYaml(yamlText, { maxAliasCount: -1 })) as object;
  const partial = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(spec));
  renameSync(partial, cacheFile);
  return spec;
}

/**
 * The document still uses OpenAPI 3.0's `nullable` in places; Ajv accepts it only beside `type`.
 * Where there is no `type`, `nullable: true` becomes `anyOf: [schema, {type: null}]` (same
 * meaning), and `nullable: false` is dropped.
 */
function fixNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fixNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = fixNullable(value);
  if (typeof out['nullable'] === 'boolean' && out['type'] === undefined) {
    const { nullable, ...rest } = out;
    return nullable ? { anyOf: [rest, { type: 'null' }] } : rest;
  }
  return out;
}
