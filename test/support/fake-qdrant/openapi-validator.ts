/**
 * @module Validates requests (and the fake's own responses) against Qdrant's official OpenAPI
 * document, so the fake cannot accept a request the real server would reject as malformed.
 *
 * @example
 * const validator = createOpenApiValidator();
 * const { operation, errors } = validator.validateRequest('PUT', '/collections/kb', new URLSearchParams(), body);
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The official document, copied unchanged: qdrant/qdrant `docs/redoc/v1.19.x/openapi.json` at
 * 74f3e85b9473c62560006c043e13737ce6b48412 (tag v1.19.0).
 */
export const QDRANT_OPENAPI_PATH = fileURLToPath(new URL('./qdrant-openapi.json', import.meta.url));

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: object;
}
interface OperationSpec {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}

/** One operation of the document, matched from a concrete request. */
export interface MatchedOperation {
  operationId: string;
  template: string;
  pathParams: Record<string, string>;
}

export interface OpenApiValidator {
  /** Finds the operation for a request; `errors` lists every way the request breaks the document. */
  validateRequest(method: string, pathname: string, query: URLSearchParams, body: unknown): { operation?: MatchedOperation; errors: string[] };
  /** Checks a JSON body the fake is about to send for `operationId` with HTTP 200. */
  validateResponse(operationId: string, body: unknown): string[];
}

/** Loads the document once per call; compile lazily, per operation. */
export function createOpenApiValidator(documentPath = QDRANT_OPENAPI_PATH): OpenApiValidator {
  const document = JSON.parse(readFileSync(documentPath, 'utf8')) as { paths: Record<string, Record<string, OperationSpec>> };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  addRustFormats(ajv);
  // OpenAPI 3.0 `nullable` is not JSON Schema: rewrite it before ajv sees the document.
  ajv.addSchema({ ...(withoutNullable(document) as object), $id: 'spec' });

  const routes = Object.entries(document.paths)
    .map(([template, operations]) => ({ template, operations, pattern: templatePattern(template), literal: !template.includes('{') }))
    // A literal path (`/collections/aliases`) wins over a template that also matches it.
    .sort((a, b) => Number(b.literal) - Number(a.literal));
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: object) => {
    let validate = compiled.get(key);
    if (!validate) compiled.set(key, (validate = ajv.compile(rebase(withoutNullable(schema)) as object)));
    return validate;
  };
  const operations = new Map<string, OperationSpec>();
  for (const route of routes) for (const operation of Object.values(route.operations)) operations.set(operation.operationId, operation);

  return {
    validateRequest(method, pathname, query, body) {
      const verb = method.toLowerCase();
      const route = routes.find((candidate) => candidate.pattern.test(pathname) && candidate.operations[verb]);
      const spec = route?.operations[verb];
      if (!route || !spec) return { errors: [`${method} ${pathname} is not an operation of the Qdrant API`] };
      const errors: string[] = [];
      const names = [...route.template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
      const values = (route.pattern.exec(pathname) ?? []).slice(1).map((value) => decodeURIComponent(value));
      const pathParams = Object.fromEntries(names.map((name, at) => [name, values[at] ?? '']));
      const parameters = spec.parameters ?? [];
      for (const parameter of parameters) {
        const check = (value: unknown) => compile(`${spec.operationId}:${parameter.in}:${parameter.name}`, parameter.schema)(value);
        if (parameter.in === 'path') {
          if (!check(pathParams[parameter.name])) errors.push(`path parameter ${parameter.name} is invalid`);
        } else if (parameter.in === 'query') {
          const raw = query.getAll(parameter.name);
          if (raw.length === 0 && parameter.required) errors.push(`query parameter ${parameter.name} is required`);
          for (const value of raw) if (!check(value) && !check(queryValue(value))) errors.push(`query parameter ${parameter.name}=${value} is invalid`);
        }
      }
      for (const name of new Set(query.keys())) {
        if (!parameters.some((parameter) => parameter.in === 'query' && parameter.name === name)) errors.push(`unknown query parameter ${name}`);
      }
      const bodySchema = spec.requestBody?.content['application/json']?.schema;
      if (body === undefined) {
        if (spec.requestBody?.required) errors.push('the request body is required');
      } else if (!bodySchema) {
        errors.push('this operation takes no request body');
      } else {
        const validate = compile(`${spec.operationId}:body`, bodySchema);
        if (!validate(body)) errors.push(...describeErrors(validate, 'body'));
      }
      return { operation: { operationId: spec.operationId, template: route.template, pathParams }, errors };
    },
    validateResponse(operationId, body) {
      const schema = operations.get(operationId)?.responses['200']?.content?.['application/json']?.schema;
      if (!schema) return [`${operationId} documents no JSON response`];
      const validate = compile(`${operationId}:response`, schema);
      return validate(body) ? [] : describeErrors(validate, 'response');
    },
  };
}

function templatePattern(template: string): RegExp {
  const escaped = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('([^/]+)')}$`);
}

/** Query strings carry text; try the typed reading (`true`, `5`) when the text itself does not fit. */
function queryValue(raw: string): unknown {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

function describeErrors(validate: ValidateFunction, where: string): string[] {
  // anyOf failures list every branch; the deepest paths are the informative ones.
  return (validate.errors ?? []).map((error) => `${where}${error.instancePath || ''} ${error.message ?? 'is invalid'}`);
}

/** Points refs of a fragment at the registered document (`#/components/…` → `spec#/components/…`). */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `spec${value}` : rebase(value)]),
  );
}

/**
 * `nullable: true` → JSON Schema null. schemars emits `Option<T>` as `anyOf: [T, {nullable: true}]`,
 * where the bare `{nullable: true}` branch means "null".
 */
function withoutNullable(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutNullable);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, key === 'example' ? value : withoutNullable(value)]));
  if (nullable !== true) return converted;
  if (typeof converted.type === 'string') {
    const enumValues = Array.isArray(converted.enum) ? { enum: [...(converted.enum as unknown[]), null] } : {};
    return { ...converted, type: [converted.type, 'null'], ...enumValues };
  }
  if ('$ref' in converted || 'anyOf' in converted || 'oneOf' in converted || 'allOf' in converted) return { anyOf: [converted, { type: 'null' }] };
  return { ...converted, type: 'null' };
}

/** Formats the Rust schema generator emits for integer and float widths. */
function addRustFormats(ajv: Ajv): void {
  const unsigned = (max: number) => (value: number) => Number.isInteger(value) && value >= 0 && value <= max;
  ajv.addFormat('uint8', { type: 'number', validate: unsigned(255) });
  ajv.addFormat('uint32', { type: 'number', validate: unsigned(0xffffffff) });
  ajv.addFormat('uint64', { type: 'number', validate: unsigned(Number.MAX_SAFE_INTEGER) });
  ajv.addFormat('uint', { type: 'number', validate: unsigned(Number.MAX_SAFE_INTEGER) });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
  ajv.addFormat('float', { type: 'number', validate: (value: number) => Number.isFinite(value) && Math.abs(value) <= 3.4028234663852886e38 });
  ajv.addFormat('double', { type: 'number', validate: (value: number) => Number.isFinite(value) });
  ajv.addFormat('partial-date-time', { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) || /^\d{4}-\d{2}-\d{2}/.test(value) });
}
