import { create, insertMultiple, search, type Tokenizer } from '@orama/orama';
import { tokenize } from '../../src/text/tokenize.js';
import type { FaqEntry } from './bq-data.js';
import { topScoreProbe, type FaqSystem } from './faq-system.js';

/**
 * Orama with its default full-text settings (BM25, matching every result), given our segmentation
 * (`tokenize`) as its tokenizer.
 */
export async function oramaSystem(entries: FaqEntry[]): Promise<FaqSystem> {
  const tokenizer: Tokenizer = { language: 'english', normalizationCache: new Map(), tokenize: (raw) => tokenize(raw) };
  const db = create({ schema: { question: 'string', entryId: 'enum' } as const, components: { tokenizer } });
  await insertMultiple(db, entries.map((entry) => ({ question: entry.question, entryId: entry.id })));
  const top = async (query: string, k: number) => {
    const result = await search(db, { term: query, properties: ['question'], limit: k });
    return result.hits.map((hit) => ({ id: String(hit.document.entryId), score: hit.score }));
  };
  return {
    name: 'Orama (same segmentation)',
    search: top,
    async candidateKeys(query, ids) {
      const result = await search(db, { term: query, properties: ['question'], limit: ids.length, where: { entryId: { in: ids } } });
      const scores = new Map(result.hits.map((hit) => [String(hit.document.entryId), hit.score]));
      return ids.map((id) => [scores.get(id) ?? 0]);
    },
    probe: async (query) => topScoreProbe(await top(query, 1)),
  };
}
