import type { ChatModel } from '../llm/chat-model.js';
import { composeGroundedAnswer, streamGroundedAnswer, type GroundedAnswer, type GroundedAnswerInput } from '../llm/grounded-answer.js';
import type { HistoryTurn } from '../llm/history-turn.js';
import { fallbackReasonOf, type FallbackReason } from '../llm/llm-errors.js';
import type { LlmMetrics } from '../llm/llm-metrics.js';
import type { Redactor } from '../llm/pii-redaction.js';
import type { PromptTemplates } from '../llm/prompt-templates.js';
import { rewriteFollowUp } from '../llm/rewrite-follow-up.js';
import type { Logger } from '../logger.js';
import type { RetrievedEntry } from '../rag/retriever.js';
import type { Lang } from '../text/lang.js';

export interface LlmAnswererOptions {
  model: ChatModel;
  prompts: PromptTemplates;
  tokenBudget: number;
  maxTokens: number;
  /** All model calls of one turn (emotion, rewrite, answer) must finish within this, in ms. */
  turnBudgetMs: number;
  redact?: Redactor | undefined;
  metrics?: LlmMetrics | undefined;
  logger: Logger;
}

export type LlmAnswerOutcome = { kind: 'answered'; answer: GroundedAnswer } | { kind: 'fallback'; reason: FallbackReason };

/** Passages given to the model: the best few are enough, and each costs prompt tokens. */
const PASSAGES = 3;

/**
 * What the engine asks of a model: standalone questions from follow-ups, and answers grounded in
 * the retrieved passages (streamed when the caller listens). Every failure turns into a
 * `fallback` outcome, so the engine answers extractively instead.
 */
export class LlmAnswerer {
  constructor(private readonly options: LlmAnswererOptions) {}

  /** The deadline of one turn's model calls; past it each call gives up and the KB answers. */
  turnSignal(): AbortSignal {
    return AbortSignal.timeout(this.options.turnBudgetMs);
  }

  /** The latest message as a standalone question; the message itself when there is no history or on failure. */
  rewrite(text: string, history: readonly HistoryTurn[], signal?: AbortSignal): Promise<string> {
    const { model, prompts, redact, metrics, logger } = this.options;
    return rewriteFollowUp({ text, history, model, prompts, redact, ...(metrics ? { metrics } : {}), logger, ...(signal ? { signal } : {}) });
  }

  async answer(input: {
    question: string;
    lang: Lang;
    passages: readonly RetrievedEntry[];
    history: readonly HistoryTurn[];
    onDelta?: ((text: string) => void) | undefined;
    signal?: AbortSignal | undefined;
  }): Promise<LlmAnswerOutcome> {
    const { model, prompts, tokenBudget, maxTokens, redact } = this.options;
    const request: GroundedAnswerInput = {
      question: input.question, lang: input.lang, passages: input.passages.slice(0, PASSAGES), history: input.history,
      model, prompts, tokenBudget, maxTokens, redact, ...(input.signal ? { signal: input.signal } : {}),
    };
    try {
      if (!input.onDelta) return { kind: 'answered', answer: await composeGroundedAnswer(request) };
      for await (const event of streamGroundedAnswer(request)) {
        if (event.type === 'text-delta') input.onDelta(event.text);
        else return { kind: 'answered', answer: event.answer };
      }
      return { kind: 'fallback', reason: 'bad_output' };
    } catch (error) {
      // Our own turn deadline aborts the call: for the customer that is a timeout.
      const reason: FallbackReason = input.signal?.aborted ? 'timeout' : fallbackReasonOf(error);
      this.options.metrics?.recordFallback(reason);
      this.options.logger.warn('model answer failed; answering from the KB directly', { reason, error: (error as Error).message });
      return { kind: 'fallback', reason };
    }
  }
}
