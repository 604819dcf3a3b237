/**
 * @module The floor: a plain character unigram + bigram BM25 (k1 1.2, b 0.75) over each entry's
 * question, no segmentation, no normalization beyond dropping whitespace. The dataset README
 * quotes what this scores; a harness far from that is broken.
 */
import type { FaqEntry } from './bq-data.js';
import { topScoreProbe, type FaqSystem } from './faq-system.js';

const K1 = 1.2;
const B = 0.75;

/** Character unigrams and bigrams of `text`, whitespace removed. */
export function charTerms(text: string): string[] {
  const chars = [...text.replace(/\s+/gu, '')];
  const terms = [...chars];
  for (let index = 0; index + 1 < chars.length; index += 1) terms.push(`${chars[index] ?? ''}${chars[index + 1] ?? ''}`);
  return terms;
}

/** BM25 scores of every entry for a query (unique query terms, Lucene's idf). */
export function charBm25Scorer(entries: FaqEntry[]): (query: string) => Float64Array {
  const postings = new Map<string, Array<[number, number]>>();
  const lengths = entries.map((entry, doc) => {
    const terms = charTerms(entry.question);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push([doc, count]);
    }
    return terms.length;
  });
  const n = entries.length;
  const average = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, n);
  return (query) => {
    const scores = new Float64Array(n);
    for (const term of new Set(charTerms(query))) {
      const list = postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const [doc, tf] of list) {
        const norm = 1 - B + (B * (lengths[doc] ?? 0)) / average;
        scores[doc] = (scores[doc] ?? 0) + (idf * tf * (K1 + 1)) / (tf + K1 * norm);
      }
    }
    return scores;
  };
}

/** The floor as a system under test. */
export function charBm25System(entries: FaqEntry[]): FaqSystem {
  const score = charBm25Scorer(entries);
  const position = new Map(entries.map((entry, index) => [entry.id, index]));
  const search = (query: string, k: number) => {
    const scores = score(query);
    const ranked: Array<{ id: string; score: number }> = [];
    scores.forEach((value, doc) => {
      if (value > 0) ranked.push({ id: entries[doc]?.id ?? '', score: value });
    });
    return ranked.sort((a, b) => b.score - a.score).slice(0, k);
  };
  return {
    name: 'floor: char 1+2-gram BM25',
    exhaustive: true,
    search: async (query, k) => search(query, k),
    async candidateKeys(query, ids) {
      const scores = score(query);
      return ids.map((id) => [scores[position.get(id) ?? -1] ?? 0]);
    },
    probe: async (query) => topScoreProbe(search(query, 1)),
  };
}
