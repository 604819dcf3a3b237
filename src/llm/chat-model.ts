/**
 * @module The chat-model port: what the answer, rewrite, intent and summary code needs from a
 * language model, in our own types (never SDK types). Adapters: `openai-chat-model.ts`;
 * decorators: `resilient-chat-model.ts`.
 *
 * @example
 * const result = await model.complete({ messages: [{ role: 'user', content: '你好' }], temperature: 0 });
 */

/** Who wrote a message in the request. */
export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/**
 * Asks for JSON output. `json_schema` uses structured outputs (the model is constrained to the
 * schema, OpenAI `strict: true`); `json_object` only promises some JSON object.
 */
export type ChatResponseFormat =
  | { type: 'json_object' }
  | {
      type: 'json_schema';
      /** Schema name, `[a-zA-Z0-9_-]{1,64}`. */
      name: string;
      /** A JSON Schema (draft 2020-12 subset that structured outputs accept). */
      schema: Record<string, unknown>;
    };

export interface ChatRequest {
  /** The conversation sent to the model, system message first. */
  messages: ChatMessage[];
  /** Sampling temperature, 0..2; the adapter's server default when unset. */
  temperature?: number;
  /** Upper bound on generated tokens; server default when unset. */
  maxTokens?: number;
  /** Ask for JSON output; plain text when unset. */
  responseFormat?: ChatResponseFormat;
}

/** Why generation stopped: natural end, the token limit, a content filter, or anything else. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'other';

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface ChatResult {
  /** The generated text (empty when the model produced none). */
  text: string;
  finishReason: FinishReason;
  /** Token counts, when the server reports them. */
  usage?: ChatUsage;
}

/**
 * The chat-model port. Implementations throw the typed errors of `llm-errors.ts`
 * (`LlmUnavailableError`, `LlmTimeoutError`, `LlmBadOutputError`), never vendor errors.
 */
export interface ChatModel {
  /** One completion, resolved when the whole answer is in. */
  complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult>;
  /**
   * The completion as text fragments, in order, as the server produces them. Throws (from the
   * iterator) on failure or timeout, including after some fragments were yielded; stops
   * early when `signal` aborts or the consumer breaks out of the loop.
   */
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<string>;
}
