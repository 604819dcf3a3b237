/**
 * @module A local stand-in for the Qdrant REST API: a plain `node:http` server on 127.0.0.1 that
 * checks every request against the official OpenAPI document, keeps its data in memory, records
 * what it received and can be made to fail or go down.
 *
 * @example
 * const qdrant = await startFakeQdrant();
 * const client = new QdrantClient({ url: qdrant.url, checkCompatibility: false });
 * // … exercise the adapter …
 * expect(qdrant.violations).toEqual([]);
 * await qdrant.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Schemas } from '@qdrant/js-client-rest';
import { runQuery } from './fake-qdrant-query.js';
import { FakeQdrantError, FakeQdrantState, FakeQdrantUnsupportedError } from './fake-qdrant-state.js';
import { createOpenApiValidator, type MatchedOperation } from './openapi-validator.js';

/** The server version the fake reports on `GET /`. */
export const FAKE_QDRANT_VERSION = '1.18.0';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  operationId?: string;
  status: number;
}

/** A request the fake could not vouch for: off-spec, or using a feature it does not emulate. */
export interface SpecViolation {
  method: string;
  url: string;
  operationId?: string;
  errors: string[];
}

export interface FakeQdrant {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  state: FakeQdrantState;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Off-spec requests and unsupported features; tests assert this stays empty. */
  violations: SpecViolation[];
  /** Responses of the fake itself that do not match the document (a bug in the fake). */
  responseViolations: SpecViolation[];
  /** The next `count` requests (only those for `operationId`, when given) fail with `status`. */
  failNext(status: number, count?: number, operationId?: string): void;
  /** Stops listening and drops open connections: clients see "connection refused". */
  down(): Promise<void>;
  /** Listens again on the same port, with the same data. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeQdrantOptions {
  /** Refuse filters on fields without a payload index, as Qdrant's strict mode does. Default true. */
  requirePayloadIndexes?: boolean;
}

/** Starts a fake on a free port of 127.0.0.1. */
export async function startFakeQdrant(options: FakeQdrantOptions = {}): Promise<FakeQdrant> {
  const validator = createOpenApiValidator();
  const state = new FakeQdrantState();
  const queryOptions = { requirePayloadIndexes: options.requirePayloadIndexes ?? true };
  const requests: RecordedRequest[] = [];
  const violations: SpecViolation[] = [];
  const responseViolations: SpecViolation[] = [];
  const faults: Array<{ status: number; remaining: number; operationId: string | undefined }> = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://fake-qdrant');
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const errors: string[] = [];
    let body: unknown;
    if (raw.length > 0) {
      if (!String(request.headers['content-type']).startsWith('application/json')) errors.push('a request body must be sent as application/json');
      try {
        body = JSON.parse(raw);
      } catch {
        errors.push('the request body is not JSON');
      }
    }
    const checked = validator.validateRequest(method, url.pathname, url.searchParams, body);
    errors.push(...checked.errors);
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body, status: 0 };
    if (checked.operation) record.operationId = checked.operation.operationId;
    requests.push(record);
    const violation = (problems: string[]) => ({ method, url: `${url.pathname}${url.search}`, ...(record.operationId ? { operationId: record.operationId } : {}), errors: problems });
    const send = (status: number, payload: unknown) => {
      record.status = status;
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };

    if (errors.length > 0 || !checked.operation) {
      violations.push(violation(errors));
      return send(checked.operation ? 400 : 404, { status: { error: `Format error in JSON body: ${errors.join('; ')}` }, time: 0 });
    }
    const fault = faults.find((candidate) => candidate.remaining > 0 && (candidate.operationId === undefined || candidate.operationId === record.operationId));
    if (fault) {
      fault.remaining -= 1;
      return send(fault.status, { status: { error: `Service internal error: injected failure ${fault.status}` }, time: 0 });
    }
    try {
      const result = dispatch(checked.operation, url.searchParams, body);
      const payload = checked.operation.operationId === 'root' ? result : { result, status: 'ok', time: 0 };
      const problems = validator.validateResponse(checked.operation.operationId, payload);
      if (problems.length > 0) responseViolations.push(violation(problems));
      send(200, payload);
    } catch (error) {
      if (!(error instanceof FakeQdrantError)) throw error;
      if (error instanceof FakeQdrantUnsupportedError) violations.push(violation([error.message]));
      send(error.status, { status: { error: error.message }, time: 0 });
    }
  };

  const dispatch = (operation: MatchedOperation, query: URLSearchParams, body: unknown): unknown => {
    const name = operation.pathParams.collection_name ?? '';
    const updated = (operationId: number): Schemas['UpdateResult'] => ({ operation_id: operationId, status: query.get('wait') === 'true' ? 'completed' : 'acknowledged' });
    switch (operation.operationId) {
      case 'root':
        return { title: 'qdrant - vector search engine', version: FAKE_QDRANT_VERSION, commit: 'fake-qdrant' };
      case 'get_collections':
        return { collections: [...state.collections.keys()].map((collection) => ({ name: collection })) };
      case 'get_collection':
        return state.describe(name);
      case 'collection_exists':
        return { exists: state.collections.has(name) };
      case 'create_collection':
        state.createCollection(name, body as Schemas['CreateCollection']);
        return true;
      case 'delete_collection':
        return state.deleteCollection(name);
      case 'create_field_index':
        return updated(state.createIndex(name, body as Schemas['CreateFieldIndex']));
      case 'upsert_points':
        return updated(state.upsert(name, body as Schemas['PointInsertOperations']));
      case 'query_points':
        return { points: runQuery(state.resolve(name), body as Schemas['QueryRequest'], queryOptions) };
      case 'query_batch_points':
        return (body as Schemas['QueryRequestBatch']).searches.map((search) => ({ points: runQuery(state.resolve(name), search, queryOptions) }));
      case 'update_aliases':
        state.updateAliases(body as Schemas['ChangeAliasesOperation']);
        return true;
      case 'get_collections_aliases':
        return { aliases: state.aliasesOf() };
      case 'get_collection_aliases':
        state.resolve(name);
        return { aliases: state.aliasesOf(name) };
      default:
        throw new FakeQdrantUnsupportedError(`the operation ${operation.operationId}`);
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ status: { error: String(error) }, time: 0 }));
    });
  });
  const listen = (port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  await listen(0);
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    violations,
    responseViolations,
    failNext(status, count = 1, operationId) {
      faults.push({ status, remaining: count, operationId });
    },
    async down() {
      await stop();
      // Let clients read the closed sockets, so their next request gets "connection refused".
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
    up: () => listen(port),
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
