import { documentFrequencies, documentVectors } from '../text/bm25.js';
import { tokenize } from '../text/tokenize.js';
import { LANGS } from '../text/lang.js';
import type { IndexPoint } from '../vector-store/vector-store.js';
import type { KbEntry } from './kb-entry.js';

export interface IndexBuild {
  points: IndexPoint[];
  /** Texts of the points, aligned with `points`, for embedding. */
  texts: string[];
  termStats: { points: number; df: Array<[number, number]> };
}

/**
 * Turns entries into search points: one per question paraphrase (and per title that is not
 * also a question), so a customer's wording is matched against each way editors phrased it,
 * plus one per article chunk (`<id>:chunk:<n>`), so a detail buried in a long article is found too.
 */
export function buildIndexPoints(entries: KbEntry[]): IndexBuild {
  const texts: string[] = [];
  const meta: Array<Omit<IndexPoint, 'sparse'>> = [];
  for (const entry of entries) {
    for (const lang of LANGS) {
      const questions = entry.questions[lang] ?? [];
      const title = entry.title[lang];
      const all = title !== undefined && !questions.includes(title) ? [...questions, title] : questions;
      all.forEach((text, index) => {
        texts.push(text);
        meta.push({ id: `${entry.id}:${lang}:${index}`, entryId: entry.id, lang, category: entry.category, tags: entry.tags });
      });
    }
    // An article is written in one language; its chunks are searched in that language.
    const chunkLang = LANGS.find((lang) => entry.answer[lang] !== undefined);
    entry.chunks?.forEach((chunk, index) => {
      texts.push(chunk);
      meta.push({ id: `${entry.id}:chunk:${index}`, entryId: entry.id, ...(chunkLang ? { lang: chunkLang } : {}), category: entry.category, tags: entry.tags });
    });
  }
  const { vectors } = documentVectors(texts.map((text) => tokenize(text)));
  const points = meta.map((point, index) => ({ ...point, sparse: vectors[index] ?? { indices: [], values: [] } }));
  const df = [...documentFrequencies(vectors).entries()].sort((a, b) => a[0] - b[0]);
  return { points, texts, termStats: { points: points.length, df } };
}
