/**
 * @module Intent classification by a language model, with a zod-validated structured output,
 * and the composite the engine uses: the embedded classifier first, the model only when the
 * embedded one is not confident, the embedded prediction again on any model failure.
 *
 * @example
 * const classifier = new CompositeIntentClassifier({ embedded, llm: new LlmIntentClassifier({ model, prompts }), threshold: 0.55 });
 * await classifier.classify('我要投诉，快递三天没动了'); // { intent: 'complaint', … }
 */
import { z } from 'zod';
import type { ChatMessage, ChatModel } from '../llm/chat-model.js';
import { clip, dataBlock } from '../llm/data-blocks.js';
import { fallbackReasonOf } from '../llm/llm-errors.js';
import type { LlmMetrics } from '../llm/llm-metrics.js';
import { jsonResponseFormat, parseModelJson } from '../llm/model-json.js';
import type { Redactor } from '../llm/pii-redaction.js';
import { renderPrompt } from '../llm/prompt-templates.js';
import type { PromptTemplates } from '../llm/prompt-templates.js';
import type { Logger } from '../logger.js';
import { INTENTS } from './intent-classifier.js';
import type { IntentClassifier, IntentPrediction } from './intent-classifier.js';

const scoreSchema = z.object({ intent: z.enum(INTENTS), confidence: z.number().min(0).max(1) });
const predictionSchema = scoreSchema.extend({ runner_up: scoreSchema });
const INTENT_FORMAT = jsonResponseFormat('intent_prediction', predictionSchema);

/** The classification prompt (pure): the message in its data block. */
export function buildClassifyPrompt(prompts: PromptTemplates, text: string, redact?: Redactor): Promise<ChatMessage[]> {
  const message = clip(text, 1000);
  return renderPrompt(prompts.classify, { message: dataBlock('customer_message', redact ? redact(message) : message) });
}

export interface LlmIntentClassifierOptions {
  model: ChatModel;
  prompts: PromptTemplates;
  redact?: Redactor | undefined;
  /**
   * Longest wait for the model's opinion, in ms. A second opinion is short (about 30 tokens), and
   * the turn waits on it before anything else happens, so a slow model must not hold it up for
   * the whole model timeout. Default 3000.
   */
  timeoutMs?: number;
}

/** Default of `LlmIntentClassifierOptions.timeoutMs`. */
export const LLM_INTENT_TIMEOUT_MS = 3000;

/**
 * Asks the model for `{intent, confidence, runner_up}`; the intent must be one of `INTENTS` and
 * confidences in [0, 1], else `LlmBadOutputError`. Model errors propagate (typed), a timeout
 * included (after `timeoutMs`, or when `signal` aborts).
 */
export class LlmIntentClassifier implements IntentClassifier {
  constructor(private readonly options: LlmIntentClassifierOptions) {}

  async classify(text: string, signal?: AbortSignal): Promise<IntentPrediction> {
    const messages = await buildClassifyPrompt(this.options.prompts, text, this.options.redact);
    const cap = AbortSignal.timeout(this.options.timeoutMs ?? LLM_INTENT_TIMEOUT_MS);
    const result = await this.options.model.complete(
      { messages, temperature: 0, maxTokens: 100, responseFormat: INTENT_FORMAT },
      signal ? AbortSignal.any([signal, cap]) : cap,
    );
    const output = parseModelJson(result, predictionSchema);
    return { intent: output.intent, confidence: output.confidence, runnerUp: output.runner_up };
  }
}

/** An intent classifier that may also take a deadline (any `IntentClassifier` fits). */
export interface CancellableIntentClassifier {
  classify(text: string, signal?: AbortSignal): Promise<IntentPrediction>;
}

export interface CompositeIntentClassifierOptions {
  /** Always asked first; its answer stands when confident, and on any model failure. */
  embedded: IntentClassifier;
  /** Asked only when the embedded prediction is below `threshold`. */
  llm: CancellableIntentClassifier;
  /** Embedded confidence (0..1) at or above which the model is not asked. Default 0.55 (`INTENT_CONFIDENCE_THRESHOLD`). */
  threshold?: number;
  metrics?: LlmMetrics;
  logger?: Logger;
}

/** The embedded classifier, with the model as a second opinion on unclear messages. */
export class CompositeIntentClassifier implements IntentClassifier {
  constructor(private readonly options: CompositeIntentClassifierOptions) {}

  /** `signal`: the caller's deadline for the model's opinion (e.g. the turn budget). */
  async classify(text: string, signal?: AbortSignal): Promise<IntentPrediction> {
    const embedded = await this.options.embedded.classify(text);
    if (embedded.confidence >= (this.options.threshold ?? 0.55)) return embedded;
    try {
      return await this.options.llm.classify(text, signal);
    } catch (error) {
      this.options.metrics?.recordFallback(fallbackReasonOf(error));
      this.options.logger?.warn('llm intent classification failed, using the embedded prediction', { reason: fallbackReasonOf(error) });
      return embedded;
    }
  }
}
