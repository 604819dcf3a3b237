import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const entrySchema = z.object({ id: z.string(), question: z.string(), heldout_cluster: z.boolean() });
const querySchema = z.object({ qid: z.string(), text: z.string(), gold: z.string(), negatives: z.array(z.string()), heldout_cluster: z.boolean() });

/** One FAQ entry of the view: an id and its one question. */
export interface FaqEntry {
  id: string;
  question: string;
}

/** One query: its gold entry, the entries its labels confirm as wrong, and whether its entry is held out. */
export interface FaqQuery {
  id: string;
  text: string;
  gold: string;
  negatives: string[];
  heldout: boolean;
}

/** One split of the FAQ-retrieval view: the whole KB, the KB without held-out entries, the queries. */
export interface FaqSplit {
  kb: FaqEntry[];
  kbInScope: FaqEntry[];
  queries: FaqQuery[];
}

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Reads `faq/<split>.*.jsonl` of the BQ corpus from `dir`. */
export function loadBqSplit(dir: string, split: 'train' | 'test'): FaqSplit {
  const file = (kind: string) => path.join(dir, 'faq', `${split}.${kind}.jsonl`);
  const entry = ({ id, question }: z.output<typeof entrySchema>): FaqEntry => ({ id, question });
  return {
    kb: readJsonl(file('kb'), entrySchema).map(entry),
    kbInScope: readJsonl(file('kb_in_scope'), entrySchema).map(entry),
    queries: readJsonl(file('queries'), querySchema).map((query) => ({
      id: query.qid, text: query.text, gold: query.gold, negatives: query.negatives, heldout: query.heldout_cluster,
    })),
  };
}
