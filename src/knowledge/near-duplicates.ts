import type { KnowledgeProblem } from '../errors.js';
import { termId } from '../text/term-id.js';
import { normalize } from '../text/normalize.js';
import type { KbEntry } from './kb-entry.js';

/**
 * @module Finds questions of different entries that are worded almost the same, which makes the
 * bot pick between two answers by a coin flip. Pure and exact: candidates come from an inverted
 * index over each question's rarest bigrams (prefix filtering), so 50,000 questions take well
 * under a second instead of the billion comparisons of checking every pair.
 *
 * @example findNearDuplicates([{ entryId: 'a', question: '七天无理由退货怎么申请' }, { entryId: 'b', question: '七天无理由退货如何申请' }], 0.6)
 */

/** Default similarity (character-bigram Jaccard) from which two questions count as near-duplicates. */
export const NEAR_DUPLICATE_THRESHOLD = 0.85;

export interface QuestionRef {
  entryId: string;
  question: string;
}

export interface NearDuplicate {
  /** The question met first in the input order. */
  first: QuestionRef;
  second: QuestionRef;
  /** Jaccard similarity of the two questions' character bigrams, 0..1. */
  similarity: number;
}

interface Indexed {
  at: number;
  normalized: string;
  /** Token ranks, ascending: rarest bigram first. */
  tokens: number[];
}

/**
 * The comparison tokens of a normalized question, as numbers (this runs for every question of the
 * KB): character bigrams of Chinese runs (a lone character counts as one), and whole words of
 * other scripts, whose few hundred common bigrams would make every English question a candidate.
 */
function bigramKeys(normalized: string): number[] {
  const keys: number[] = [];
  for (const [run] of normalized.matchAll(/\p{Script=Han}+|[\p{L}\p{N}]+/gu)) {
    if (!/\p{Script=Han}/u.test(run)) {
      keys.push(-1 - termId(run));
      continue;
    }
    const points = [...run].map((char) => char.codePointAt(0) as number);
    if (points.length < 2) keys.push(...points);
    else for (let at = 1; at < points.length; at += 1) keys.push(((points[at - 1] as number) + 1) * 0x110000 + (points[at] as number));
  }
  return keys;
}

const EPSILON = 1e-9;

/**
 * Pairs of questions from different entries whose bigram Jaccard similarity is at least
 * `threshold` but that are not identical after normalization (exact repeats are reported
 * separately). Each pair is returned once, in input order.
 */
export function findNearDuplicates(questions: QuestionRef[], threshold = NEAR_DUPLICATE_THRESHOLD): NearDuplicate[] {
  const tokenIds = new Map<number, number>();
  const frequency: number[] = [];
  const records: Indexed[] = questions.map((ref, at) => {
    const normalized = normalize(ref.question);
    const tokens = bigramKeys(normalized).map((key) => {
      let id = tokenIds.get(key);
      if (id === undefined) tokenIds.set(key, (id = frequency.push(0) - 1));
      frequency[id] = (frequency[id] ?? 0) + 1;
      return id;
    });
    return { at, normalized, tokens };
  });
  // Rarest tokens first: two similar sets must share one of their first few tokens, and rare
  // tokens have short posting lists. Any fixed order is correct; rarity only makes it fast.
  const byRarity = frequency.map((_, id) => id).sort((a, b) => (frequency[a] ?? 0) - (frequency[b] ?? 0) || a - b);
  const rankOf = new Int32Array(byRarity.length);
  byRarity.forEach((id, rank) => (rankOf[id] = rank));
  for (const record of records) {
    const ranks = record.tokens.map((id) => rankOf[id] as number).sort((a, b) => a - b);
    record.tokens = ranks.filter((rank, at) => at === 0 || rank !== ranks[at - 1]);
  }
  const bySize = records.filter((record) => record.tokens.length > 0).sort((a, b) => a.tokens.length - b.tokens.length || a.at - b.at);

  const postings = new Map<number, Indexed[]>();
  const found: Array<{ firstAt: number; secondAt: number; similarity: number }> = [];
  // seenBy[at] = the record that last collected `at` as a candidate; avoids a Set per record.
  const seenBy = new Int32Array(questions.length).fill(-1);
  for (const record of bySize) {
    const size = record.tokens.length;
    const entryId = (questions[record.at] as QuestionRef).entryId;
    // J >= t implies overlap >= t*|x|, hence a shared token among the first |x| - ceil(t*|x|) + 1.
    const prefix = record.tokens.slice(0, size - Math.ceil(threshold * size - EPSILON) + 1);
    for (const token of prefix) {
      for (const other of postings.get(token) ?? []) {
        if (seenBy[other.at] === record.at) continue;
        seenBy[other.at] = record.at;
        // Records come smallest first, so `other` is never larger; it must not be much smaller.
        if (other.tokens.length < threshold * size - EPSILON) continue;
        if ((questions[other.at] as QuestionRef).entryId === entryId || other.normalized === record.normalized) continue;
        const similarity = jaccard(other.tokens, record.tokens);
        if (similarity >= threshold - EPSILON) found.push({ firstAt: Math.min(other.at, record.at), secondAt: Math.max(other.at, record.at), similarity });
      }
    }
    for (const token of prefix) {
      let list = postings.get(token);
      if (!list) postings.set(token, (list = []));
      list.push(record);
    }
  }
  return found
    .sort((x, y) => x.secondAt - y.secondAt || x.firstAt - y.firstAt)
    .map(({ firstAt, secondAt, similarity }) => ({ first: questions[firstAt] as QuestionRef, second: questions[secondAt] as QuestionRef, similarity }));
}

/** Jaccard of two ascending token lists, by merging them. */
function jaccard(a: number[], b: number[]): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) shared += 1;
    if (x <= y) i += 1;
    if (y <= x) j += 1;
  }
  return shared / (a.length + b.length - shared);
}

/** Warnings for near-duplicate questions across entries, located at the entry read later. */
export function nearDuplicateWarnings(entries: KbEntry[], threshold = NEAR_DUPLICATE_THRESHOLD): KnowledgeProblem[] {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const questions = entries.flatMap((entry) => [...(entry.questions.zh ?? []), ...(entry.questions.en ?? [])].map((question) => ({ entryId: entry.id, question })));
  return findNearDuplicates(questions, threshold).map(({ first, second, similarity }) => {
    const source = byId.get(second.entryId)?.source;
    const percent = Math.round(similarity * 100);
    return {
      severity: 'warning' as const,
      file: source?.file ?? '',
      ...(source?.line !== undefined ? { line: source.line } : {}),
      field: 'questions',
      message: {
        en: `question "${second.question}" is nearly the same as "${first.question}" of entry ${first.entryId} (${percent}% similar)`,
        zh: `问题「${second.question}」与条目 ${first.entryId} 的问题「${first.question}」几乎相同（相似度 ${percent}%）`,
      },
    };
  });
}
