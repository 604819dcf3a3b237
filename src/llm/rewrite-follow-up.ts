/**
 * @module Follow-ups ("那运费呢？", "and for returns?") become standalone questions before
 * retrieval, using the recent turns. One model call, only when there is history; on any
 * failure the original text is used.
 *
 * @example
 * const question = await rewriteFollowUp({ text: '那运费呢？', history, model, prompts });
 */
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { ChatMessage, ChatModel } from './chat-model.js';
import { clip, dataBlock } from './data-blocks.js';
import { conversationBlock } from './history-turn.js';
import type { HistoryTurn } from './history-turn.js';
import { LlmBadOutputError, fallbackReasonOf } from './llm-errors.js';
import type { LlmMetrics } from './llm-metrics.js';
import { jsonResponseFormat, parseModelJson } from './model-json.js';
import type { Redactor } from './pii-redaction.js';
import { renderPrompt } from './prompt-templates.js';
import type { PromptTemplates } from './prompt-templates.js';

const rewriteSchema = z.object({ question: z.string() });
const REWRITE_FORMAT = jsonResponseFormat('standalone_question', rewriteSchema);

export interface RewriteInput {
  /** The customer's latest message. */
  text: string;
  /** Earlier turns, oldest first; without customer or bot turns nothing is rewritten. */
  history: readonly HistoryTurn[];
  model: ChatModel;
  prompts: PromptTemplates;
  redact?: Redactor | undefined;
  /** Recent turns given to the model. Default 4. */
  maxTurns?: number;
  metrics?: LlmMetrics;
  logger?: Logger;
  signal?: AbortSignal;
}

/** The rewrite prompt (pure): recent turns and the latest message in their data blocks. */
export function buildRewritePrompt(prompts: PromptTemplates, input: Pick<RewriteInput, 'text' | 'history' | 'redact' | 'maxTurns'>): Promise<ChatMessage[]> {
  const redact = input.redact ?? ((text: string) => text);
  return renderPrompt(prompts.rewrite, {
    history: conversationBlock(input.history, { maxTurns: input.maxTurns ?? 4, redact: input.redact }),
    message: dataBlock('customer_message', redact(clip(input.text, 1000))),
  });
}

/**
 * The standalone question, or `text` itself when there is no history or anything fails
 * (model error, bad JSON, an empty or implausibly long rewrite).
 */
export async function rewriteFollowUp(input: RewriteInput): Promise<string> {
  if (!input.history.some((turn) => turn.role === 'customer' || turn.role === 'bot')) return input.text;
  try {
    const messages = await buildRewritePrompt(input.prompts, input);
    const result = await input.model.complete({ messages, temperature: 0, maxTokens: 200, responseFormat: REWRITE_FORMAT }, input.signal);
    const question = parseModelJson(result, rewriteSchema).question.trim();
    if (question === '' || [...question].length > 3 * [...input.text].length + 200) throw new LlmBadOutputError('schema_mismatch', 'implausible rewrite');
    return question;
  } catch (error) {
    input.metrics?.recordFallback(fallbackReasonOf(error));
    input.logger?.warn('follow-up rewrite failed, using the original text', { reason: fallbackReasonOf(error) });
    return input.text;
  }
}
