import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConversationEngine, type EngineDeps } from '../conversation/conversation-engine.js';
import { detectEmotion } from '../handoff/emotion/detect-emotion.js';
import { silentLogger } from '../logger.js';
import { MemoryEventBus } from '../store/memory-event-bus.js';
import { MessageLog } from '../store/message-log.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { aConversation } from '../store/store-fixtures.js';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import { useFakeOpenAi } from '../../test/support/fake-openai/llm-fixtures.js';
import { LlmBadOutputError } from '../llm/llm-errors.js';
import { OpenAiChatModel } from '../llm/openai-chat-model.js';
import type { PromptTemplates } from '../llm/prompt-templates.js';
import { INTENTS } from './intent-classifier.js';
import type { IntentClassifier, IntentPrediction } from './intent-classifier.js';
import { CompositeIntentClassifier, LlmIntentClassifier } from './llm-intent-classifier.js';

let fake: FakeOpenAi;
let prompts: PromptTemplates;
useFakeOpenAi((started) => ({ fake, prompts } = started));

const llm = (timeoutMs?: number) =>
  new LlmIntentClassifier({ model: new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 }), prompts, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });

/** A stand-in for the embedded classifier with a fixed answer. */
function embeddedSaying(prediction: IntentPrediction): IntentClassifier & { calls: number } {
  return {
    calls: 0,
    classify() {
      this.calls += 1;
      return Promise.resolve(prediction);
    },
  };
}

const unsure: IntentPrediction = { intent: 'faq', confidence: 0.35, runnerUp: { intent: 'complaint', confidence: 0.3 } };
const sure: IntentPrediction = { intent: 'greeting', confidence: 0.97, runnerUp: { intent: 'thanks', confidence: 0.01 } };
const modelSays = { intent: 'complaint', confidence: 0.86, runner_up: { intent: 'human_request', confidence: 0.1 } };

describe('LlmIntentClassifier', () => {
  it('asks for a schema-constrained prediction and maps it to the port type', async () => {
    fake.enqueue({ json: modelSays });
    await expect(llm().classify('快递三天没动，太差劲了')).resolves.toEqual({ intent: 'complaint', confidence: 0.86, runnerUp: { intent: 'human_request', confidence: 0.1 } });
    const body = fake.chatRequests()[0]?.body;
    expect(body.response_format.json_schema.schema.properties.intent.enum).toEqual([...INTENTS]);
    expect(body.messages[1].content).toContain('<customer_message>\n快递三天没动，太差劲了\n</customer_message>');
  });

  it.each([
    ['an unknown intent', { ...modelSays, intent: 'refund_now' }],
    ['a confidence out of range', { ...modelSays, confidence: 1.7 }],
    ['a missing runner-up', { intent: 'faq', confidence: 0.9 }],
  ])('rejects %s', async (_name, json) => {
    fake.enqueue({ json });
    await expect(llm().classify('x')).rejects.toBeInstanceOf(LlmBadOutputError);
  });
});

describe('CompositeIntentClassifier', () => {
  it('keeps a confident embedded prediction without asking the model', async () => {
    const classifier = new CompositeIntentClassifier({ embedded: embeddedSaying(sure), llm: llm(), threshold: 0.55 });
    await expect(classifier.classify('你好')).resolves.toEqual(sure);
    expect(fake.chatRequests()).toHaveLength(0);
  });

  it('asks the model when the embedded classifier is not confident', async () => {
    fake.enqueue({ json: modelSays });
    const classifier = new CompositeIntentClassifier({ embedded: embeddedSaying(unsure), llm: llm() });
    await expect(classifier.classify('快递三天没动')).resolves.toMatchObject({ intent: 'complaint', confidence: 0.86 });
    expect(fake.chatRequests()).toHaveLength(1);
  });

  it('does not let a slow model hold up the turn: the embedded prediction after timeoutMs, or at the caller deadline', async () => {
    fake.enqueue({ json: modelSays, firstTokenMs: 3000 }, { json: modelSays, firstTokenMs: 3000 });
    const started = Date.now();
    await expect(new CompositeIntentClassifier({ embedded: embeddedSaying(unsure), llm: llm(150) }).classify('快递三天没动')).resolves.toEqual(unsure);
    expect(Date.now() - started).toBeLessThan(1500);
    const turn = AbortSignal.timeout(150);
    await expect(new CompositeIntentClassifier({ embedded: embeddedSaying(unsure), llm: llm() }).classify('快递三天没动', turn)).resolves.toEqual(unsure);
    expect(turn.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(fake.chatRequests()).toHaveLength(2);
  });

  it.each([
    ['a server error', { status: 500 }],
    ['invalid output', { json: { intent: 'nonsense', confidence: 0.9, runner_up: { intent: 'faq', confidence: 0.1 } } }],
    ['malformed JSON', { text: 'complaint' }],
  ])('returns the embedded prediction on %s', async (_name, reply) => {
    fake.enqueue(reply);
    const classifier = new CompositeIntentClassifier({ embedded: embeddedSaying(unsure), llm: llm() });
    await expect(classifier.classify('快递三天没动')).resolves.toEqual(unsure);
  });
});

describe('ConversationEngine and the intent classifier', () => {
  it("cuts a slow model's intent opinion at the turn's model budget", async () => {
    fake.enqueue({ json: modelSays, firstTokenMs: 3000 });
    const { store } = openSqliteStore(':memory:');
    await store.migrate();
    const conversation = aConversation();
    await store.createConversation(conversation);
    const budget = AbortSignal.timeout(150);
    let classified: number | undefined;
    // Only what a turn uses up to retrieval is real; retrieval records when the intent was known, then stops the turn.
    const deps: Partial<EngineDeps> = {
      store,
      messages: new MessageLog(store, new MemoryEventBus()),
      // The model's own cap (3 s by default) is far longer than the turn's budget.
      classifier: new CompositeIntentClassifier({ embedded: embeddedSaying(unsure), llm: llm() }),
      emotion: (text) => detectEmotion(text),
      knowledge: { current: () => ({}) } as unknown as EngineDeps['knowledge'],
      retriever: {
        retrieve: () => {
          classified = Date.now();
          return Promise.reject(new Error('stop after the intent'));
        },
      } as unknown as EngineDeps['retriever'],
      llm: { turnSignal: () => budget } as unknown as EngineDeps['llm'],
      clock: () => new Date(),
      newId: () => randomUUID(),
      logger: silentLogger(),
    };
    const engine = new ConversationEngine(deps as EngineDeps);
    const started = Date.now();
    try {
      await expect(engine.handleCustomerMessage(conversation.id, '快递三天没动')).rejects.toThrow('stop after the intent');
      expect(fake.chatRequests()).toHaveLength(1);
      expect(budget.aborted).toBe(true);
      expect((classified ?? Infinity) - started).toBeLessThan(1500);
    } finally {
      await store.close();
    }
  });
});
