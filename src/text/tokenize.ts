/**
 * @module Retrieval terms for BM25, shared by ingestion and search so both sides agree.
 *
 * @example tokenize('iPhone15怎么退货') // ['iphone15', 'iphon', '15', '怎么', '退货', '怎么', '么退', '退货']
 */
import { normalize } from './normalize.js';
import { segmentHan } from './segment.js';
import { stem } from './stem.js';
import { ENGLISH_STOP_WORDS, HAN_STOP_CHARS, HAN_STOP_WORDS } from './stop-words.js';

// A Han run, or a run of other letters and digits (Latin, but also kana, Hangul, Cyrillic).
const SEGMENT = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;
const LETTERS_OR_DIGITS = /\p{L}+|\p{N}+/gu;

/**
 * The retrieval terms of `text`, after `normalize`, in reading order (duplicates kept: they
 * are term frequencies). Han runs give their jieba words without pure function words, plus
 * every character bigram, so a query still matches when jieba cuts it differently from the
 * document, and every character that is not a function word. Other words are lower-cased, stripped
 * of English stop words and stemmed; a word mixing letters and digits ("iphone15") also
 * gives its parts.
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const match of normalize(text).matchAll(SEGMENT)) {
    const [, han, word] = match;
    if (han !== undefined) addHanTerms(han, terms);
    else if (word !== undefined) addWordTerms(word, terms);
  }
  return terms;
}

function addHanTerms(run: string, terms: string[]): void {
  const chars = [...run];
  if (chars.length === 1) {
    if (!HAN_STOP_CHARS.has(run)) terms.push(run);
    return;
  }
  for (const word of segmentHan(run)) {
    if (!isHanStopWord(word)) terms.push(word);
  }
  for (let index = 0; index + 1 < chars.length; index += 1) {
    terms.push(`${chars[index] ?? ''}${chars[index + 1] ?? ''}`);
  }
  // Single characters catch typos and odd cuts (微离贷 for 微粒贷): they raised hit@1 and the
  // filtered hit@1 on the tuning split of our FAQ benchmark (bench/, `npm run eval`).
  for (const char of chars) {
    if (!HAN_STOP_CHARS.has(char)) terms.push(char);
  }
}

function isHanStopWord(word: string): boolean {
  if (HAN_STOP_WORDS.has(word)) return true;
  for (const char of word) {
    if (!HAN_STOP_CHARS.has(char)) return false;
  }
  return true;
}

function addWordTerms(word: string, terms: string[]): void {
  const parts = word.match(LETTERS_OR_DIGITS) ?? [];
  if (parts.length > 1) {
    terms.push(word);
    // "iphone15" should also meet "iphone 15"; single letters ("t" of "t2026") mean nothing.
    for (const part of parts) {
      if (part.length > 1) terms.push(stem(part));
    }
    return;
  }
  // Lone letters are mostly contraction leftovers ("don't" -> "don", "t").
  if (ENGLISH_STOP_WORDS.has(word) || (word.length === 1 && !/\p{N}/u.test(word))) return;
  terms.push(stem(word));
}
