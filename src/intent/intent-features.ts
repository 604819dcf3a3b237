/**
 * @module Features for intent classification. Unlike retrieval terms, these keep negations,
 * question words and pronouns ("not", "didn't", "没", "吗"): they carry the intent.
 *
 * @example intentFeatures('没用') // ['w:没用', 'c1:没', 'c2:没用', 'c1:用', 'c2:^没', 'c2:用$', 'len:2']
 */
import { normalize } from '../text/normalize.js';
import { segmentHan } from '../text/segment.js';
import { stem } from '../text/stem.js';
import { ANGER_TERMS_EN, ANGER_TERMS_ZH, STORE_TERMS_EN, STORE_TERMS_ZH } from './intent-lexicon.js';

const SEGMENT = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}'])+)/gu;
// Ticket and case numbers: "T20261122-0042", "C-88213", "0042".
const REFERENCE_NUMBER = /[a-z]-?\d{4,}|\d{4,}/u;
const HAN_NEGATION = /[不没别未无非]$|^没有$|^不是$/u;
const ENGLISH_NEGATIONS: ReadonlySet<string> = new Set(['not', 'no', 'never', 'nothing', 'nobody', 'none', 'without', 'nope']);
const QUESTION_MARK = /[?？]/u;
const EXCLAMATION_MARK = /[!！]/u;

// Contractions are expanded so "didn't" and "did not" give the same "not" feature.
const CONTRACTIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bcan't\b/gu, 'can not'],
  [/\bwon't\b/gu, 'will not'],
  [/n't\b/gu, ' not'],
  [/'re\b/gu, ' are'],
  [/'m\b/gu, ' am'],
  [/'ll\b/gu, ' will'],
  [/'ve\b/gu, ' have'],
  [/'d\b/gu, ' would'],
  [/'s\b/gu, ' is'],
];

/**
 * The features of a message, deduplicated: for Han runs, jieba words and character 1- to
 * 3-grams (with run-boundary bigrams); for other words, stemmed unigrams and bigrams, the
 * opening word, and character trigrams (so typos such as "thnks" still land near "thanks");
 * words after a negation ("没解决", "didn't help") also as `neg:` features; cues from
 * `intent-lexicon.ts`; the message length bucket; and markers for question marks,
 * exclamation marks and ticket-like reference numbers.
 */
export function intentFeatures(text: string): string[] {
  const normalized = expandContractions(normalize(text));
  const features = new Set<string>();
  const words: string[] = [];
  let units = 0;
  for (const match of normalized.matchAll(SEGMENT)) {
    const [, han, word] = match;
    if (han !== undefined) {
      units += [...han].length;
      addHanFeatures(han, features);
      // A Han run breaks an English word sequence ("bye拜拜 see you").
      words.push('|');
    } else if (word !== undefined) {
      const cleaned = word.replace(/'/gu, '');
      if (cleaned === '') continue;
      units += 1;
      words.push(stem(cleaned));
      addCharTrigrams(cleaned, features);
    }
  }
  addWordFeatures(words, features);
  if (STORE_TERMS_ZH.some((term) => normalized.includes(term)) || words.some((word) => STORE_TERMS_EN.has(word))) {
    features.add('cue:store');
  }
  if (ANGER_TERMS_ZH.some((term) => normalized.includes(term)) || words.some((word) => ANGER_TERMS_EN.has(word))) {
    features.add('cue:anger');
  }
  features.add(`len:${lengthBucket(units)}`);
  if (QUESTION_MARK.test(text)) features.add('mark:?');
  if (EXCLAMATION_MARK.test(text)) features.add('mark:!');
  if (REFERENCE_NUMBER.test(normalized)) features.add('mark:ref');
  return [...features];
}

function expandContractions(text: string): string {
  return CONTRACTIONS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

function addHanFeatures(run: string, features: Set<string>): void {
  let negated = false;
  for (const word of segmentHan(run)) {
    features.add(`w:${word}`);
    // "没解决" is the opposite of "解决了": the negated word gets its own feature.
    if (negated) features.add(`neg:${word}`);
    negated = HAN_NEGATION.test(word);
  }
  const chars = [...run];
  chars.forEach((char, index) => {
    features.add(`c1:${char}`);
    const next = chars[index + 1];
    if (next !== undefined) {
      features.add(`c2:${char}${next}`);
      const third = chars[index + 2];
      if (third !== undefined) features.add(`c3:${char}${next}${third}`);
    }
  });
  // Where a phrase starts and ends matters: "好的" closing a message vs "好的，但是…".
  features.add(`c2:^${chars[0] ?? ''}`);
  features.add(`c2:${chars.at(-1) ?? ''}$`);
}

function addWordFeatures(words: string[], features: Set<string>): void {
  // The opening word sets the speech act: "is ..." asks, "thanks ..." thanks, "bye ..." leaves.
  const first = words[0];
  if (first !== undefined && first !== '|') features.add(`e1:^${first}`);
  let negatedWords = 0;
  words.forEach((word, index) => {
    if (word === '|') {
      negatedWords = 0;
      return;
    }
    features.add(`e1:${word}`);
    // "that didn't answer my question" vs "that answers my question".
    if (negatedWords > 0) {
      features.add(`neg:${word}`);
      negatedWords -= 1;
    }
    if (ENGLISH_NEGATIONS.has(word)) negatedWords = 3;
    const next = words[index + 1];
    if (next !== undefined && next !== '|') features.add(`e2:${word} ${next}`);
  });
}

function addCharTrigrams(word: string, features: Set<string>): void {
  const padded = `<${word}>`;
  if (padded.length < 4) return;
  for (let index = 0; index + 3 <= padded.length; index += 1) features.add(`g3:${padded.slice(index, index + 3)}`);
}

function lengthBucket(units: number): string {
  if (units <= 1) return '1';
  if (units <= 2) return '2';
  if (units <= 4) return '3-4';
  if (units <= 8) return '5-8';
  return '9+';
}
