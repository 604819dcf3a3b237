/**
 * @module The chat-model adapter for OpenAI and OpenAI-compatible servers, on the `openai` SDK.
 *
 * @example
 * const model = new OpenAiChatModel({ apiKey, baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen2.5-7b-instruct' });
 */
import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions/completions.js';
import { CallDeadline } from './call-deadline.js';
import type { ChatModel, ChatRequest, ChatResult, FinishReason } from './chat-model.js';
import { LlmTimeoutError } from './llm-errors.js';
import { DEFAULT_TIMEOUT_MS, createOpenAiClient } from './openai-client.js';
import type { OpenAiConnectionOptions } from './openai-client.js';
import { toLlmError } from './openai-error-mapping.js';

/**
 * How JSON output is asked for: `json_schema` (structured outputs: OpenAI, Azure, vLLM, Ollama)
 * or `json_object` (JSON mode only: DeepSeek and Qwen/DashScope reject `json_schema` with a 400).
 * With `json_object` the schema is not sent; the prompts describe the shape and zod checks it.
 */
export type JsonMode = 'json_schema' | 'json_object';

export interface OpenAiChatModelOptions extends OpenAiConnectionOptions {
  /** Streaming only: deadline for the first text fragment, in milliseconds. Default 10 000. */
  firstTokenTimeoutMs?: number | undefined;
  /** How a `json_schema` request is sent. Default `json_schema`. */
  jsonMode?: JsonMode | undefined;
}

export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 10_000;

/** `ChatModel` over `POST {baseURL}/chat/completions`, plain and streamed (SSE). */
export class OpenAiChatModel implements ChatModel {
  private readonly client: OpenAI;
  private readonly timeoutMs: number;
  private readonly firstTokenTimeoutMs: number;

  constructor(private readonly options: OpenAiChatModelOptions) {
    this.client = createOpenAiClient(options);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.firstTokenTimeoutMs = options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS;
  }

  async complete(request: ChatRequest, signal?: AbortSignal): Promise<ChatResult> {
    const deadline = new CallDeadline(this.timeoutMs, undefined, signal);
    try {
      const completion = await deadline.race(
        this.client.chat.completions.create({ ...this.params(request), stream: false }, { signal: deadline.signal, timeout: this.timeoutMs }),
      );
      const choice = completion.choices[0];
      const usage = completion.usage;
      return {
        text: choice?.message.content ?? '',
        finishReason: finishReason(choice?.finish_reason),
        ...(usage ? { usage: { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens } } : {}),
      };
    } catch (error) {
      throw toLlmError(error, { deadline: deadline.fired, timeoutMs: this.timeoutMs });
    } finally {
      deadline.dispose();
    }
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<string> {
    const deadline = new CallDeadline(this.timeoutMs, this.firstTokenTimeoutMs, signal);
    let finished = false;
    try {
      const chunks = await deadline.race(
        this.client.chat.completions.create(
          { ...this.params(request), stream: true, stream_options: { include_usage: true } },
          { signal: deadline.signal, timeout: this.timeoutMs },
        ),
      );
      const iterator = chunks[Symbol.asyncIterator]();
      for (;;) {
        const next = await deadline.race(iterator.next());
        if (next.done) break;
        const text = next.value.choices[0]?.delta.content;
        if (text) {
          deadline.firstToken();
          yield text;
        }
      }
      // The SDK ends a stream quietly when it is aborted; a deadline abort is still a timeout.
      finished = true;
      const fired = deadline.fired;
      if (fired) throw new LlmTimeoutError(fired.phase, fired.timeoutMs);
    } catch (error) {
      finished = true;
      throw toLlmError(error, { deadline: deadline.fired, timeoutMs: this.timeoutMs });
    } finally {
      // The consumer broke out early: close the HTTP stream instead of reading it to the end.
      if (!finished) deadline.cancel();
      deadline.dispose();
    }
  }

  private params(request: ChatRequest): ChatCompletionCreateParamsBase {
    const format = request.responseFormat;
    const schemaFormat = format?.type === 'json_schema' && this.options.jsonMode !== 'json_object' ? format : undefined;
    const jsonObject = format?.type === 'json_object' || (format?.type === 'json_schema' && schemaFormat === undefined);
    return {
      model: this.options.model,
      messages: request.messages.map((message) => ({ role: message.role, content: message.content })),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined ? { max_completion_tokens: request.maxTokens } : {}),
      ...(jsonObject ? { response_format: { type: 'json_object' as const } } : {}),
      ...(schemaFormat
        ? { response_format: { type: 'json_schema' as const, json_schema: { name: schemaFormat.name, schema: schemaFormat.schema, strict: true } } }
        : {}),
    };
  }
}

function finishReason(reason: string | null | undefined): FinishReason {
  return reason === 'stop' || reason === 'length' || reason === 'content_filter' ? reason : 'other';
}
