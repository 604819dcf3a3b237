/**
 * @module Every entry's paraphrases (and article passages) of one KB version as term ids, packed
 * in a few typed arrays for the whole version. Typed arrays per entry cost about 1 KB of object
 * overhead each: 13.5 MiB on the 10,000-entry bench KB, against 6.7 MiB packed (heap and array
 * buffers after a full GC); a Set per paraphrase had cost ten times that.
 */
import type { KbEntry } from '../knowledge/kb-entry.js';
import type { KbSnapshot } from '../knowledge/kb-version.js';
import { LANGS } from '../text/lang.js';
import { termId } from '../text/term-id.js';
import { tokenize } from '../text/tokenize.js';

export interface QuestionTable {
  /** Each entry id's slot. */
  slots: Map<string, number>;
  /** Slot `s` holds texts `textStart[s]` to `textStart[s + 1] - 1`; those from `passageStart[s]` on are passages. */
  textStart: Uint32Array;
  passageStart: Uint32Array;
  texts: string[];
  /** Text `t`'s unique term ids are `terms[termStart[t]]` to `terms[termStart[t + 1] - 1]`. */
  termStart: Uint32Array;
  terms: Uint32Array;
  /** Each text's idf-weighted size, which does not depend on the question. */
  masses: Float64Array;
}

/** Entries cut between yields when building in the background: a few milliseconds' work. */
const BATCH = 500;

/** Builds the table at once (a version nobody prepared, e.g. in the benchmark's retrieval). */
export function questionTable(snapshot: KbSnapshot, weight: (term: number) => number): QuestionTable {
  const builder = new TableBuilder();
  for (const entry of snapshot.entries.values()) builder.add(entry, weight);
  return builder.build();
}

/** Builds the table in batches, yielding to other work between them. */
export async function questionTableInBackground(snapshot: KbSnapshot, weight: (term: number) => number): Promise<QuestionTable> {
  const builder = new TableBuilder();
  let done = 0;
  for (const entry of snapshot.entries.values()) {
    builder.add(entry, weight);
    done += 1;
    if (done % BATCH === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return builder.build();
}

/** The weight of the terms of text `at` that are also in `query`. */
export function sharedMassOf(table: QuestionTable, at: number, query: ReadonlySet<number>, weight: (term: number) => number): number {
  const { terms, termStart } = table;
  let shared = 0;
  for (let index = termStart[at] as number; index < (termStart[at + 1] as number); index += 1) {
    const term = terms[index] as number;
    if (query.has(term)) shared += weight(term);
  }
  return shared;
}

class TableBuilder {
  private readonly slots = new Map<string, number>();
  private readonly textStart: number[] = [0];
  private readonly passageStart: number[] = [];
  private readonly texts: string[] = [];
  private readonly termStart: number[] = [0];
  private readonly terms: number[] = [];
  private readonly masses: number[] = [];

  add(entry: KbEntry, weight: (term: number) => number): void {
    if (this.slots.has(entry.id)) return;
    const paraphrases = [...new Set(LANGS.flatMap((lang) => [...(entry.questions[lang] ?? []), ...(entry.title[lang] !== undefined ? [entry.title[lang]] : [])]))];
    this.slots.set(entry.id, this.passageStart.length);
    this.passageStart.push(this.texts.length + paraphrases.length);
    for (const text of [...paraphrases, ...(entry.chunks ?? [])]) {
      let mass = 0;
      for (const term of new Set(tokenize(text).map(termId))) {
        this.terms.push(term);
        mass += weight(term);
      }
      this.texts.push(text);
      this.termStart.push(this.terms.length);
      this.masses.push(mass);
    }
    this.textStart.push(this.texts.length);
  }

  build(): QuestionTable {
    return {
      slots: this.slots,
      textStart: Uint32Array.from(this.textStart),
      passageStart: Uint32Array.from(this.passageStart),
      texts: this.texts,
      termStart: Uint32Array.from(this.termStart),
      terms: Uint32Array.from(this.terms),
      masses: Float64Array.from(this.masses),
    };
  }
}
