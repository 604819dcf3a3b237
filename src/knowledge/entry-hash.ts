import { createHash } from 'node:crypto';
import type { KbEntry } from './kb-entry.js';

/** Hash of what an entry says (not where it sits in the files), so moving lines is not a change. */
export function entryHash(entry: KbEntry): string {
  const { source: _source, ...content } = entry;
  return createHash('sha256').update(stableStringify(content)).digest('hex').slice(0, 16);
}

/** Hash of a whole KB: the sorted entry hashes. */
export function contentHash(hashes: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const id of Object.keys(hashes).sort()) hash.update(`${id}=${hashes[id]}\n`);
  return hash.digest('hex').slice(0, 16);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export interface EntryChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

export function diffEntries(before: Record<string, string>, after: Record<string, string>): EntryChanges {
  const added = Object.keys(after).filter((id) => !(id in before)).sort();
  const changed = Object.keys(after).filter((id) => id in before && before[id] !== after[id]).sort();
  const removed = Object.keys(before).filter((id) => !(id in after)).sort();
  return { added, changed, removed };
}
