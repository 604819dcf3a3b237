import { createHash } from 'node:crypto';

/**
 * Namespace of every point id (a random v4 UUID, fixed forever): changing it would change every id
 * and make a re-ingested chunk a new point instead of overwriting the old one.
 */
export const POINT_ID_NAMESPACE = 'fea4c554-ab32-4c17-a1e8-4c0e8e38a31c';

/**
 * The Qdrant point id of a port point id (`entry:chunk`): Qdrant accepts only unsigned integers
 * and UUIDs, so the string is mapped to a name-based UUID (RFC 9562 version 5), stable across
 * runs, processes and versions.
 */
export function pointUuid(id: string): string {
  return uuidV5(id, POINT_ID_NAMESPACE);
}

/** RFC 9562 version 5: SHA-1 of namespace bytes + UTF-8 name, with the version and variant bits set. */
export function uuidV5(name: string, namespace: string): string {
  const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
