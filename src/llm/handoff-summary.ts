/**
 * @module A three-line summary for the agent taking over a conversation (what the customer
 * wants, what was tried, mood), written by the model from the transcript; the extractive
 * summary of `handoff/handoff-summary.ts` on any failure.
 *
 * @example
 * const summary = await summarizeHandoff({ messages, reason: 'failed_turns', lang: 'zh', model, prompts });
 */
import { z } from 'zod';
import { extractiveSummary, reasonText } from '../handoff/handoff-summary.js';
import type { Logger } from '../logger.js';
import type { HandoffReason, StoredMessage } from '../store/records.js';
import type { Lang } from '../text/lang.js';
import type { ChatMessage, ChatModel } from './chat-model.js';
import { conversationBlock } from './history-turn.js';
import { fallbackReasonOf } from './llm-errors.js';
import type { LlmMetrics } from './llm-metrics.js';
import { jsonResponseFormat, parseModelJson } from './model-json.js';
import type { Redactor } from './pii-redaction.js';
import { renderPrompt } from './prompt-templates.js';
import type { PromptTemplates } from './prompt-templates.js';

const summarySchema = z.object({ wants: z.string().min(1), tried: z.string().min(1), mood: z.string().min(1) });
const SUMMARY_FORMAT = jsonResponseFormat('handoff_summary', summarySchema);

const LABELS: Record<Lang, [string, string, string]> = {
  zh: ['诉求：', '已尝试：', '情绪：'],
  en: ['Wants: ', 'Tried: ', 'Mood: '],
};

export interface HandoffSummaryInput {
  /** The conversation so far, oldest first. */
  messages: readonly StoredMessage[];
  reason: HandoffReason;
  /** Language of the agent console text. */
  lang: Lang;
  model: ChatModel;
  prompts: PromptTemplates;
  redact?: Redactor | undefined;
  /** Most recent messages given to the model. Default 30. */
  maxMessages?: number;
  metrics?: LlmMetrics;
  logger?: Logger;
  signal?: AbortSignal;
}

/** The summary prompt (pure): the transcript in a data block, the reason and the language. */
export function buildSummaryPrompt(prompts: PromptTemplates, input: Pick<HandoffSummaryInput, 'messages' | 'reason' | 'lang' | 'redact' | 'maxMessages'>): Promise<ChatMessage[]> {
  return renderPrompt(prompts.summary, {
    summary_language: input.lang === 'zh' ? 'Simplified Chinese (简体中文)' : 'English',
    reason: reasonText(input.reason, 'en'),
    transcript: conversationBlock(input.messages, { tag: 'transcript', maxTurns: input.maxMessages ?? 30, maxTurnChars: 400, redact: input.redact }),
  });
}

/** Three lines: wants, tried, mood, each labelled in `lang`; the extractive summary on failure. */
export async function summarizeHandoff(input: HandoffSummaryInput): Promise<string> {
  try {
    const messages = await buildSummaryPrompt(input.prompts, input);
    const result = await input.model.complete({ messages, temperature: 0, maxTokens: 300, responseFormat: SUMMARY_FORMAT }, input.signal);
    const summary = parseModelJson(result, summarySchema);
    const [wants, tried, mood] = LABELS[input.lang];
    return [`${wants}${oneLine(summary.wants)}`, `${tried}${oneLine(summary.tried)}`, `${mood}${oneLine(summary.mood)}`].join('\n');
  } catch (error) {
    input.metrics?.recordFallback(fallbackReasonOf(error));
    input.logger?.warn('handoff summary failed, using the extractive one', { reason: fallbackReasonOf(error) });
    return extractiveSummary([...input.messages], input.reason, input.lang);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length > 200 ? `${[...flat].slice(0, 200).join('')}…` : flat;
}
