import { QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { z } from 'zod';

/** The HTTP failure the client throws (an `ApiError` of `@qdrant/openapi-typescript-fetch`). */
const httpFailureSchema = z.object({ status: z.number().int(), statusText: z.string().optional(), data: z.unknown() });
/** Qdrant's error body: `{"status": {"error": "Not found: Collection `x` doesn't exist!"}}`. */
const qdrantErrorBodySchema = z.object({ status: z.object({ error: z.string() }) });

/**
 * One sentence for an operator on why `action` failed: the server's own error text for an HTTP
 * failure, the socket error code when the server cannot be reached, or the timeout.
 */
export function describeQdrantFailure(error: unknown, action: string, url: string): string {
  if (error instanceof QdrantClientTimeoutError) return `Qdrant at ${url} did not answer in time; could not ${action}`;
  const http = httpFailureSchema.safeParse(error);
  if (http.success) {
    const body = qdrantErrorBodySchema.safeParse(http.data.data);
    const detail = body.success ? body.data.status.error : http.data.statusText || 'no error text';
    return `Qdrant at ${url} refused to ${action}: HTTP ${http.data.status}: ${detail}`;
  }
  const code = networkCode(error);
  if (code !== undefined) return `Qdrant at ${url} is unreachable (${code}); could not ${action}`;
  return `Qdrant at ${url} failed to ${action}: ${error instanceof Error ? error.message : String(error)}`;
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET`…: fetch wraps the socket error in `cause`, sometimes twice. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
