/** Shared fixtures for the llm tests: KB passages as the retriever returns them, and the prompts. */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { KbEntry } from '../../../src/knowledge/kb-entry.js';
import { loadPromptTemplates } from '../../../src/llm/prompt-templates.js';
import type { PromptTemplates } from '../../../src/llm/prompt-templates.js';
import type { RetrievedEntry } from '../../../src/rag/retriever.js';
import { startFakeOpenAi, type FakeOpenAi } from './fake-openai-server.js';

/** The repository's `prompts/` folder. */
export const PROMPTS_DIR = fileURLToPath(new URL('../../../prompts/', import.meta.url));

let prompts: Promise<PromptTemplates> | undefined;

/** The real prompt templates, loaded once per test file. */
export function testPrompts(): Promise<PromptTemplates> {
  prompts ??= loadPromptTemplates(PROMPTS_DIR);
  return prompts;
}

/**
 * For a test file: starts a fake OpenAI server and loads the real prompts before its tests
 * (`ready` receives them: assign them to the file's own variables), checks after each test that
 * every request matched the official spec and clears the recorded requests, and closes the server.
 */
export function useFakeOpenAi(ready: (started: { fake: FakeOpenAi; prompts: PromptTemplates }) => void): void {
  let fake: FakeOpenAi | undefined;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    ready({ fake, prompts: await testPrompts() });
  });
  afterEach(() => {
    expect(fake?.invalidRequests).toEqual([]);
    fake?.requests.splice(0);
  });
  afterAll(() => fake?.close());
}

/** A retrieved KB entry with answers in both languages. */
export function retrieved(id: string, answer: { zh?: string; en?: string }, confidence = 0.8): RetrievedEntry {
  const entry: KbEntry = {
    id,
    category: ['售后', '退换货'],
    title: { zh: `标题 ${id}`, en: `Title ${id}` },
    questions: { zh: [`问题 ${id}`], en: [`Question ${id}`] },
    answer,
    tags: [],
    skillGroup: 'general',
    media: [],
    source: { file: 'knowledge/test.yaml' },
  };
  return { entry, score: confidence, confidence, matchedQuestion: `问题 ${id}`, retrievers: ['sparse'] };
}

/** The usual three passages of the grounded-answer tests. */
export function samplePassages(): RetrievedEntry[] {
  return [
    retrieved('return-policy', { zh: '自签收之日起7天内可申请无理由退货，商品需保持完好。', en: 'You can return items within 7 days of delivery if they are unused.' }, 0.9),
    retrieved('return-shipping', { zh: '质量问题退货运费由商家承担，非质量问题由买家承担。', en: 'We pay return shipping for faulty items; otherwise the buyer pays.' }, 0.7),
    retrieved('refund-time', { zh: '退款将在收到退货后3个工作日内原路退回。', en: 'Refunds go back to the original payment method within 3 working days.' }, 0.5),
  ];
}
