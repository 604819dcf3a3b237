/**
 * @module Prompt assembly for grounded answers (pure): the passages with their entry ids, cut to
 * a token budget (best ranked kept), the recent conversation and the question, each in its
 * neutralized data block.
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
import { estimateTokens, fitToBudget, truncateToTokens } from './token-budget.js';

export interface AnswerPromptInput {
  /** The customer's (standalone) question. */
  question: string;
  /** Language to answer in. */
  lang: Lang;
  /** Retrieved entries, best ranked first. */
  passages: readonly RetrievedEntry[];
  /** Earlier turns, oldest first (the last 6 are used). */
  history: readonly HistoryTurn[];
  /** Token budget of the passages block (estimated, see `token-budget.ts`). */
  tokenBudget: number;
  /** Applied to the question and history before they go out (PII redaction). */
  redact?: Redactor | undefined;
}

export interface AnswerPrompt {
  messages: ChatMessage[];
  /** Entry ids of the passages that made it into the prompt, in rank order. */
  passageIds: string[];
}

/** Longest customer message put in a prompt, in characters. */
export const MAX_QUESTION_CHARS = 2000;

const LANGUAGE_NAMES: Record<Lang, string> = { zh: 'Simplified Chinese (简体中文)', en: 'English' };

interface Passage {
  id: string;
  attributes: Record<string, string>;
  text: string;
}

export async function buildAnswerPrompt(prompts: PromptTemplates, input: AnswerPromptInput): Promise<AnswerPrompt> {
  const candidates = input.passages.map((retrieved) => toPassage(retrieved, input.lang));
  const kept = fitToBudget(candidates, input.tokenBudget, (passage) => estimateTokens(renderPassage(passage)), shrinkPassage);
  const redact = input.redact ?? ((text: string) => text);
  const messages = await renderPrompt(prompts.answer, {
    answer_language: LANGUAGE_NAMES[input.lang],
    passages: kept.length > 0 ? kept.map(renderPassage).join('\n') : '(none)',
    history: conversationBlock(input.history, { redact: input.redact }),
    question: dataBlock('customer_message', redact(clip(input.question, MAX_QUESTION_CHARS))),
  });
  return { messages, passageIds: kept.map((passage) => passage.id) };
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
