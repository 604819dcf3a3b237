/**
 * The embedded emotion detector: a zh/en lexicon with negation ("不是很满意", "not bad") and
 * intensity ("非常", "really", "！！", CAPITALS). Pure and fast, so it runs on every turn; a model
 * can replace it behind the same `EmotionDetector` type.
 *
 * @example
 * detectEmotion('气死了，到底什么时候发货！').emotion; // 'angry'
 *
 * @module
 */
import {
  EN_INTENSIFIERS, EN_MAX_WORDS, EN_NEGATORS, EN_TERMS, ZH_INTENSIFIERS, ZH_NEGATORS, ZH_TERMS, type Feeling,
} from './lexicon.js';

/** What the agent sees: 愤怒 / 不满 / 着急 / 平静 / 满意. */
export type Emotion = 'angry' | 'upset' | 'anxious' | 'neutral' | 'positive';
/** Every emotion label, for validating settings and model replies. */
export const EMOTIONS: readonly Emotion[] = ['angry', 'upset', 'anxious', 'neutral', 'positive'];

/** The detector's verdict: the emotion, its strength (0 = none) and the words that decided it. */
export interface EmotionResult {
  emotion: Emotion;
  intensity: number;
  cues: string[];
}

/** The port: the embedded lexicon, or a model with the lexicon as fallback. */
/** `signal` ends any model call early (the turn's model budget ran out); the lexicon answers then. */
export type EmotionDetector = (text: string, signal?: AbortSignal) => Promise<EmotionResult> | EmotionResult;

type Scores = Record<Feeling, number>;
interface Hit { text: string; feeling: Feeling; weight: number }

/** A negated feeling: "not angry" is calm, "不满意" (not satisfied) is mildly sad. */
function negate(hit: Hit): Hit {
  if (hit.feeling === 'joy') return { ...hit, feeling: 'sadness', weight: Math.min(hit.weight, 1.5) };
  return { ...hit, feeling: 'joy', weight: 0.5 };
}

function zhHits(text: string): Hit[] {
  const hits: Hit[] = [];
  const taken = new Array<boolean>(text.length).fill(false);
  for (const [term, { feeling, weight }] of ZH_TERMS) {
    for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
      if (taken.slice(at, at + term.length).some(Boolean)) continue;
      taken.fill(true, at, at + term.length);
      const before = text.slice(Math.max(0, at - 4), at);
      let factor = 1;
      for (const [word, boost] of Object.entries(ZH_INTENSIFIERS)) if (before.endsWith(word) || before.slice(0, -1).endsWith(word)) factor = Math.max(factor, boost);
      const negated = ZH_NEGATORS.some((word) => before.includes(word)) && !term.startsWith('不') && !term.startsWith('没');
      const hit = { text: term, feeling, weight: weight * factor };
      hits.push(negated ? negate(hit) : hit);
    }
  }
  return hits;
}

function enHits(text: string): Hit[] {
  const words = text.toLowerCase().replace(/[’]/g, "'").match(/[a-z']+/g) ?? [];
  const hits: Hit[] = [];
  for (let at = 0; at < words.length; ) {
    let matched = 0;
    for (let size = Math.min(EN_MAX_WORDS, words.length - at); size >= 1 && matched === 0; size -= 1) {
      const phrase = words.slice(at, at + size).join(' ');
      const term = EN_TERMS.get(phrase);
      if (!term) continue;
      matched = size;
      const before = words.slice(Math.max(0, at - 3), at);
      const factor = Math.max(1, ...before.map((word) => EN_INTENSIFIERS[word] ?? 1));
      const negated = before.some((word) => EN_NEGATORS.has(word) || word.endsWith("n't"));
      const hit = { text: phrase, feeling: term.feeling, weight: term.weight * factor };
      hits.push(negated ? negate(hit) : hit);
    }
    at += matched || 1;
  }
  return hits;
}

/** Exclamation marks and SHOUTED words make every negative feeling stronger. */
function emphasis(text: string): number {
  const bangs = (text.match(/[!！]/g) ?? []).length;
  const shouted = (text.match(/\b[A-Z]{3,}\b/g) ?? []).length;
  return 1 + Math.min(bangs, 3) * 0.15 + Math.min(shouted, 2) * 0.2;
}

/** Reads the feeling of one customer message. */
export function detectEmotion(text: string): EmotionResult {
  const normalized = text.normalize('NFKC');
  const hits = [...zhHits(normalized), ...enHits(normalized)];
  const scores: Scores = { anger: 0, sadness: 0, anxiety: 0, joy: 0 };
  for (const hit of hits) scores[hit.feeling] += hit.weight;
  const boost = emphasis(normalized);
  scores.anger *= boost;
  scores.sadness *= boost;
  scores.anxiety *= boost;
  const negative = scores.anger + scores.sadness;
  const cues = hits.filter((hit) => hit.weight >= 1).map((hit) => hit.text);
  const round = (value: number) => Math.round(value * 100) / 100;
  if (scores.anger >= 2.5 || (scores.anger >= 2 && negative >= 3.5)) return { emotion: 'angry', intensity: round(negative), cues };
  if (negative >= 1.5 && negative > scores.joy) return { emotion: 'upset', intensity: round(negative), cues };
  if (scores.anxiety >= 1) return { emotion: 'anxious', intensity: round(scores.anxiety), cues };
  if (scores.joy >= 1 && negative < 1) return { emotion: 'positive', intensity: round(scores.joy), cues };
  return { emotion: 'neutral', intensity: 0, cues: [] };
}
