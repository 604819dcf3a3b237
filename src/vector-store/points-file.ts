/**
 * The embedded index's version file: JSON, one point per line, every non-ASCII character escaped.
 *
 * It stays one JSON document (any JSON tool reads it), but the server reads it a line at a time:
 * a 10,000-entry KB makes a 30 MB file whose whole text, parsed at once, held about 90 MiB of
 * heap on top of the index built from it. Files written before this layout (one line, UTF-8) are
 * still read, whole.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { IndexPoint } from './vector-store.js';

// Checked in place: `z.array(z.number())` would copy every vector of a 50,000-point index.
const numberArray = z.custom<number[]>((value) => Array.isArray(value) && value.every((item) => typeof item === 'number'), 'expected an array of numbers');
const pointSchema = z.object({
  id: z.string(),
  entryId: z.string(),
  sparse: z.object({ indices: numberArray, values: numberArray }).refine((sparse) => sparse.indices.length === sparse.values.length, 'indices and values differ in length'),
  dense: numberArray.optional(),
  lang: z.string().optional(),
  category: z.array(z.string()),
  tags: z.array(z.string()),
});
const headerSchema = z.object({ version: z.number(), denseSize: z.number().optional() });
const wholeFileSchema = headerSchema.extend({ points: z.array(z.unknown()) });

export type PointsFileHeader = z.infer<typeof headerSchema>;

const OPENING = '"points":[';
const CLOSING = ']}';

/** JSON with every non-ASCII character escaped (`\u4e2d`), so the file is ASCII and its lines one-byte strings. */
export function asciiJson(value: unknown): string {
  const escape = (unit: number) => `\\u${unit.toString(16).padStart(4, '0')}`;
  // A character beyond U+FFFF (an emoji in a tag) is two UTF-16 units, escaped as its surrogate pair.
  return JSON.stringify(value).replace(/[^ -~\t\n\r]/gu, (char) => (char.length === 1 ? escape(char.charCodeAt(0)) : escape(char.charCodeAt(0)) + escape(char.charCodeAt(1))));
}

const PRINTABLE_ASCII = /^[ -~]*$/u;

/** A string value as ASCII JSON; most are ASCII already and skip the escaping pass. */
const asciiString = (value: string) => (PRINTABLE_ASCII.test(value) ? JSON.stringify(value) : asciiJson(value));

/**
 * One writer per field of a point, so a field added to `IndexPoint` does not compile until it is
 * written. Numbers are ASCII as they are; the string lists repeat across points and are memoised.
 */
function pointWriter(): (point: IndexPoint) => string {
  const lists = new Map<string, string>();
  const list = (values: string[]) => {
    const key = values.join('\u0000');
    let text = lists.get(key);
    if (text === undefined) lists.set(key, (text = asciiJson(values)));
    return text;
  };
  const fields: { [K in keyof Required<IndexPoint>]: (point: IndexPoint) => string | undefined } = {
    id: (point) => asciiString(point.id),
    entryId: (point) => asciiString(point.entryId),
    lang: (point) => (point.lang === undefined ? undefined : asciiString(point.lang)),
    category: (point) => list(point.category),
    tags: (point) => list(point.tags),
    sparse: (point) => JSON.stringify({ indices: point.sparse.indices, values: point.sparse.values }),
    dense: (point) => (point.dense === undefined ? undefined : JSON.stringify(point.dense)),
  };
  const entries = Object.entries(fields);
  return (point) => {
    const parts: string[] = [];
    for (const [name, write] of entries) {
      const text = write(point);
      if (text !== undefined) parts.push(`"${name}":${text}`);
    }
    return `{${parts.join(',')}}`;
  };
}

/** The file's text: the header and `"points":[` on the first line, then one point per line, then `]}`. */
export function pointsFileText(header: PointsFileHeader, points: readonly IndexPoint[]): string {
  const head = asciiJson(headerSchema.parse(header));
  const line = pointWriter();
  return `${head.slice(0, -1)},${OPENING}\n${points.map(line).join(',\n')}\n${CLOSING}\n`;
}

/**
 * Streams the points of `file` to `onPoint`, each validated, and returns the header. Throws on a
 * file that is not a complete points file (a truncated one included).
 */
export async function readPointsFile(file: string, onPoint: (point: IndexPoint) => void): Promise<PointsFileHeader> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let header: PointsFileHeader | undefined;
  let closed = false;
  for await (const line of lines) {
    if (header === undefined) {
      if (!line.endsWith(OPENING)) return readWholeFile(line, onPoint); // the older one-line layout
      header = headerSchema.parse(JSON.parse(`${line}${CLOSING}`));
      continue;
    }
    if (closed) {
      if (line.trim() !== '') throw new Error('text after the end of the points');
      continue;
    }
    if (line === CLOSING) {
      closed = true;
      continue;
    }
    if (line === '') continue; // a version without points
    onPoint(pointSchema.parse(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line)) as IndexPoint);
  }
  if (header === undefined || !closed) throw new Error('the points file ends before its last point');
  return header;
}

function readWholeFile(text: string, onPoint: (point: IndexPoint) => void): PointsFileHeader {
  const { points, ...header } = wholeFileSchema.parse(JSON.parse(text));
  for (const point of points) onPoint(pointSchema.parse(point) as IndexPoint);
  return header;
}
