import type { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { ChatModel } from './chat-model.js';
import type { Embedder } from './embedder.js';
import { resolveLlmSettings, type LlmSettings } from './llm-config.js';
import { LlmMetrics } from './llm-metrics.js';
import type { Redactor } from './pii-redaction.js';
import type { PromptTemplates } from './prompt-templates.js';
import { ResilientChatModel } from './resilient-chat-model.js';

export interface LlmParts {
  settings: LlmSettings;
  metrics: LlmMetrics;
  /** The chat model behind timeouts and a circuit breaker; undefined when answers are extractive. */
  chat?: { model: ChatModel; prompts: PromptTemplates };
  /** `redact` cleans customer questions before they are embedded (KB texts are not personal data). */
  embeddings?: { embedder: Embedder; model: string; redact?: Redactor | undefined };
}

/**
 * Builds the model clients the config asks for (none by default). Bad prompt templates stop
 * start-up. The `openai` and LangChain packages are loaded only when a model is configured.
 */
export async function createLlm(config: Config, registry: Registry, logger: Logger): Promise<LlmParts> {
  const settings = resolveLlmSettings(config);
  const metrics = new LlmMetrics(registry);
  const parts: LlmParts = { settings, metrics };
  if (settings.chat) {
    const [{ loadPromptTemplates }, { OpenAiChatModel }] = await Promise.all([import('./prompt-templates.js'), import('./openai-chat-model.js')]);
    const prompts = await loadPromptTemplates(config.PROMPTS_DIR);
    const model = new ResilientChatModel(new OpenAiChatModel(settings.chat), { ...settings.resilience, metrics, logger });
    parts.chat = { model, prompts };
    logger.info('model answers on', { model: config.CHAT_MODEL, redaction: settings.redact !== undefined });
  }
  if (settings.embeddings && config.EMBEDDINGS_MODEL !== undefined) {
    const { OpenAiEmbedder } = await import('./openai-embedder.js');
    parts.embeddings = { embedder: new OpenAiEmbedder(settings.embeddings), model: config.EMBEDDINGS_MODEL, redact: settings.embeddingsRedact };
    logger.info('dense retrieval on', { model: config.EMBEDDINGS_MODEL });
  }
  return parts;
}
