/**
 * @module Prompt assembly for grounded answers (pure): the passages with their entry ids, the
 * recent conversation and the question, each in its neutralized data block, the whole prompt cut
 * to a token budget (the oldest turns go first, then the lowest-ranked passages).
 *
 * @example
 * const { messages, passageIds } = await buildAnswerPrompt(prompts, { question, lang: 'zh', passages, history: [], tokenBudget: 1500 });
 */
import type { RetrievedEntry } from '../rag/retriever.js';
import type { Lang } from '../text/lang.js';
import { pick } from '../text/lang.js';
import type { ChatMessage } from './chat-model.js';
import { clip, dataBlock } from './data-blocks.js';
import { conversationBlock } from './history-turn.js';
import type { HistoryTurn } from './history-turn.js';
import type { Redactor } from './pii-redaction.js';
import { renderPrompt } from './prompt-templates.js';
import type { PromptTemplates } from './prompt-templates.js';
import { estimateTokens, fitToBudget, promptTokens, truncateToTokens } from './token-budget.js';

export interface AnswerPromptInput {
  /** The customer's (standalone) question. */
  question: string;
  /** Language to answer in. */
  lang: Lang;
  /** Retrieved entries, best ranked first. */
  passages: readonly RetrievedEntry[];
  /** Earlier turns, oldest first (at most the last 6 are used). */
  history: readonly HistoryTurn[];
  /**
   * Token budget of the whole prompt: system message, passages, history and question (estimated,
   * see `token-budget.ts`). What does not fit goes in this order: the oldest turns, then the
   * lowest-ranked passages. The question is never cut below `MAX_QUESTION_CHARS`, and the best
   * passage keeps at least `MIN_PASSAGE_TOKENS`, so only a budget too small for those is exceeded.
   */
  tokenBudget: number;
  /** Applied to the question and history before they go out (PII redaction). */
  redact?: Redactor | undefined;
}

export interface AnswerPrompt {
  messages: ChatMessage[];
  /** Entry ids of the passages that made it into the prompt, in rank order. */
  passageIds: string[];
}

/** Longest customer message put in a prompt, in characters: its hard cap, never cut further to fit the budget. */
export const MAX_QUESTION_CHARS = 2000;

/** Fewest tokens the best passage keeps, however little room the rest of the prompt leaves. */
export const MIN_PASSAGE_TOKENS = 100;

/** Earlier turns put in the prompt at most (the newest). */
const MAX_HISTORY_TURNS = 6;

const LANGUAGE_NAMES: Record<Lang, string> = { zh: 'Simplified Chinese (简体中文)', en: 'English' };

interface Passage {
  id: string;
  attributes: Record<string, string>;
  text: string;
}

export async function buildAnswerPrompt(prompts: PromptTemplates, input: AnswerPromptInput): Promise<AnswerPrompt> {
  const redact = input.redact ?? ((text: string) => text);
  const question = dataBlock('customer_message', redact(clip(input.question, MAX_QUESTION_CHARS)));
  const values = (passages: string, history: string) => ({ answer_language: LANGUAGE_NAMES[input.lang], passages, history, question });
  // The fixed part: both templates and the question. Blocks are inserted verbatim between line
  // breaks, so the parts' estimates add up to at least the whole prompt's.
  const frame = promptTokens(await renderPrompt(prompts.answer, values('', '')));
  const candidates = input.passages.map((retrieved) => toPassage(retrieved, input.lang));
  const passageCost = (passage: Passage) => estimateTokens(renderPassage(passage));
  const allPassages = candidates.reduce((total, passage) => total + passageCost(passage), 0);
  // Oldest turns go first: the most recent ones that still fit next to every passage.
  let history = historyBlock(input, 0);
  for (let turns = MAX_HISTORY_TURNS; turns > 0; turns -= 1) {
    const block = historyBlock(input, turns);
    if (frame + estimateTokens(block) + allPassages <= input.tokenBudget) {
      history = block;
      break;
    }
  }
  // Then the lowest-ranked passages; the best one stays, cut to what is left.
  const left = Math.max(input.tokenBudget - frame - estimateTokens(history), MIN_PASSAGE_TOKENS);
  const kept = fitToBudget(candidates, left, passageCost, shrinkPassage);
  const messages = await renderPrompt(prompts.answer, values(kept.length > 0 ? kept.map(renderPassage).join('\n') : '(none)', history));
  return { messages, passageIds: kept.map((passage) => passage.id) };
}

/** The conversation block with the newest `turns` earlier turns (none for 0). */
function historyBlock(input: AnswerPromptInput, turns: number): string {
  return conversationBlock(turns > 0 ? input.history : [], { redact: input.redact, maxTurns: Math.max(turns, 1) });
}

function toPassage(retrieved: RetrievedEntry, lang: Lang): Passage {
  const { entry } = retrieved;
  return {
    id: entry.id,
    attributes: { id: entry.id, title: pick(entry.title, lang), category: entry.category.join(' / ') },
    text: pick(entry.answer, lang),
  };
}

function renderPassage(passage: Passage): string {
  return dataBlock('passage', passage.text, passage.attributes);
}

function shrinkPassage(passage: Passage, budget: number): Passage {
  const overhead = estimateTokens(renderPassage({ ...passage, text: '' }));
  return { ...passage, text: truncateToTokens(passage.text, Math.max(0, budget - overhead)) };
}
