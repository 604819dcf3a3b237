import MiniSearch from 'minisearch';
import { tokenize } from '../../src/text/tokenize.js';
import type { FaqEntry } from './bq-data.js';
import { topScoreProbe, type FaqSystem } from './faq-system.js';

/** MiniSearch with its default BM25 settings, given our segmentation (`tokenize`) for documents and queries. */
export function miniSearchSystem(entries: FaqEntry[]): FaqSystem {
  const index = new MiniSearch<FaqEntry>({
    fields: ['question'],
    idField: 'id',
    tokenize: (text) => tokenize(text),
    // `tokenize` already normalizes; MiniSearch's default would only lower-case again.
    processTerm: (term) => term,
  });
  index.addAll(entries);
  // MiniSearch returns every match; the last query's list serves both ranking and candidates.
  let last = { query: '', results: [] as Array<{ id: string; score: number }> };
  const all = (query: string) => {
    if (last.query !== query) last = { query, results: index.search(query).map((result) => ({ id: String(result.id), score: result.score })) };
    return last.results;
  };
  const search = (query: string, k: number) => all(query).slice(0, k);
  return {
    name: 'MiniSearch (same segmentation)',
    search: async (query, k) => search(query, k),
    async candidateKeys(query, ids) {
      const scores = new Map(all(query).map((result) => [result.id, result.score]));
      return ids.map((id) => [scores.get(id) ?? 0]);
    },
    probe: async (query) => topScoreProbe(search(query, 1)),
  };
}
