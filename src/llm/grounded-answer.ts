/**
 * @module Answers grounded in retrieved KB passages: the model writes the answer from the
 * passages only, cites the entry ids it used and says whether the passages cover the question.
 * Any throw means "fall back to the extractive answer"; `covered: false` means a failed turn.
 *
 * @example
 * const answer = await composeGroundedAnswer({ question, lang, passages, history, model, prompts, tokenBudget: 1500 });
 * if (!answer.covered) countFailedTurn();
 */
import { z } from 'zod';
import type { ChatModel, ChatRequest } from './chat-model.js';
import { buildAnswerPrompt } from './answer-prompt.js';
import type { AnswerPromptInput } from './answer-prompt.js';
import { JsonFieldStream } from './json-field-stream.js';
import { LlmBadOutputError } from './llm-errors.js';
import { jsonResponseFormat, parseModelJson } from './model-json.js';
import { OutputGuard } from './output-guard.js';
import type { PromptPair, PromptTemplates } from './prompt-templates.js';

/** What the model must return; `covered` comes first so a stream can tell early. */
export const groundedAnswerSchema = z.object({
  covered: z.boolean(),
  answer: z.string(),
  citations: z.array(z.string()),
});

const ANSWER_FORMAT = jsonResponseFormat('grounded_answer', groundedAnswerSchema);

export interface GroundedAnswerInput extends AnswerPromptInput {
  model: ChatModel;
  prompts: PromptTemplates;
  /** Upper bound on the answer's generated tokens. Default 800. */
  maxTokens?: number;
  /** Default 0.2. */
  temperature?: number;
  /** Replaces the default guard (built from the answer system prompt). */
  guard?: OutputGuard;
  signal?: AbortSignal;
}

export interface GroundedAnswer {
  /** The answer text, in the customer's language. */
  text: string;
  /** Entry ids the answer cites; only ids of passages that were in the prompt, deduplicated. */
  citations: string[];
  /** False when the model says the passages do not answer the question: a failed turn. */
  covered: boolean;
}

/**
 * One grounded answer. Throws `LlmBadOutputError` on malformed or mismatching JSON, an empty
 * covered answer, or an answer the output guard rejects (`unsafe_output`), and the model's own
 * typed errors (timeout, unavailable).
 */
export async function composeGroundedAnswer(input: GroundedAnswerInput): Promise<GroundedAnswer> {
  const { request, passageIds } = await prepare(input);
  const result = await input.model.complete(request, input.signal);
  return finish(parseModelJson(result, groundedAnswerSchema), passageIds, await guardFor(input));
}

export type GroundedAnswerEvent = { type: 'text-delta'; text: string } | { type: 'finish'; answer: GroundedAnswer };

/**
 * The streaming variant for the web: the model streams the same JSON object, the `answer` field
 * is decoded as it arrives and yielded as `text-delta` events, and the whole object is
 * validated at the end (`finish`). If `covered` arrives first and is false, no text is
 * streamed. Every delta is checked by the output guard first; a violation throws
 * `LlmBadOutputError('unsafe_output')` mid-stream, and the caller replaces what it showed.
 * After a throw, or a `finish` with `covered: false`, the caller discards the streamed text.
 */
export async function* streamGroundedAnswer(input: GroundedAnswerInput): AsyncGenerator<GroundedAnswerEvent, void, undefined> {
  const { request, passageIds } = await prepare(input);
  const guard = await guardFor(input);
  const reader = new JsonFieldStream('answer');
  let raw = '';
  let shown = '';
  for await (const fragment of input.model.stream(request, input.signal)) {
    raw += fragment;
    const delta = reader.push(fragment);
    if (delta === '' || reader.primitive('covered') === 'false') continue;
    if (!guard.check(reader.text).ok) throw new LlmBadOutputError('unsafe_output', 'the answer failed the output guard');
    shown += delta;
    yield { type: 'text-delta', text: delta };
  }
  const answer = finish(parseModelJson({ text: raw, finishReason: 'stop' }, groundedAnswerSchema), passageIds, guard);
  // The reader could not follow (e.g. unusual framing): send what the client has not seen yet.
  if (answer.covered && answer.text.startsWith(shown.trim()) && answer.text.length > shown.trim().length) {
    yield { type: 'text-delta', text: shown === '' ? answer.text : answer.text.slice(shown.trim().length) };
  }
  yield { type: 'finish', answer };
}

async function prepare(input: GroundedAnswerInput): Promise<{ request: ChatRequest; passageIds: string[] }> {
  const { messages, passageIds } = await buildAnswerPrompt(input.prompts, input);
  return {
    request: { messages, temperature: input.temperature ?? 0.2, maxTokens: input.maxTokens ?? 800, responseFormat: ANSWER_FORMAT },
    passageIds,
  };
}

function finish(output: z.output<typeof groundedAnswerSchema>, passageIds: readonly string[], guard: OutputGuard): GroundedAnswer {
  const text = output.answer.trim();
  if (output.covered && text === '') throw new LlmBadOutputError('empty', 'the model said it could answer but wrote nothing');
  if (!guard.check(text).ok) throw new LlmBadOutputError('unsafe_output', 'the answer failed the output guard');
  const shown = new Set(passageIds);
  const citations = [...new Set(output.citations.map((id) => id.trim()))].filter((id) => shown.has(id));
  return { text, citations, covered: output.covered };
}

const guards = new WeakMap<PromptPair, Promise<OutputGuard>>();

function guardFor(input: GroundedAnswerInput): Promise<OutputGuard> {
  if (input.guard) return Promise.resolve(input.guard);
  const pair = input.prompts.answer;
  let guard = guards.get(pair);
  if (!guard) {
    guard = pair.system.format({}).then((systemPrompt) => new OutputGuard([systemPrompt]));
    guards.set(pair, guard);
  }
  return guard;
}
