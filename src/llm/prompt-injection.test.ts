import { describe, expect, it } from 'vitest';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import { retrieved, samplePassages, useFakeOpenAi } from '../../test/support/fake-openai/llm-fixtures.js';
import { buildClassifyPrompt } from '../intent/llm-intent-classifier.js';
import type { StoredMessage } from '../store/records.js';
import { buildAnswerPrompt } from './answer-prompt.js';
import type { AnswerPromptInput } from './answer-prompt.js';
import type { ChatMessage } from './chat-model.js';
import { neutralizeData } from './data-blocks.js';
import { composeGroundedAnswer, streamGroundedAnswer } from './grounded-answer.js';
import { buildSummaryPrompt } from './handoff-summary.js';
import type { HistoryTurn } from './history-turn.js';
import { INJECTION_CORPUS } from './injection-corpus.js';
import type { InjectionAttack } from './injection-corpus.js';
import { LlmBadOutputError } from './llm-errors.js';
import { OpenAiChatModel } from './openai-chat-model.js';
import type { PromptTemplates } from './prompt-templates.js';
import { buildRewritePrompt } from './rewrite-follow-up.js';

let fake: FakeOpenAi;
let prompts: PromptTemplates;
useFakeOpenAi((started) => ({ fake, prompts } = started));

const HISTORY: HistoryTurn[] = [
  { role: 'customer', text: '我想退货' },
  { role: 'bot', text: '自签收之日起7天内可申请无理由退货。' },
];

function answerInput(attack: InjectionAttack): AnswerPromptInput {
  const base = { lang: attack.lang, tokenBudget: 2000, passages: samplePassages(), history: HISTORY, question: attack.lang === 'zh' ? '运费谁出？' : 'Who pays shipping?' };
  if (attack.vector === 'question') return { ...base, question: attack.text };
  if (attack.vector === 'history') return { ...base, history: [{ role: 'customer', text: attack.text }, ...HISTORY] };
  return { ...base, passages: [retrieved('injected', { [attack.lang]: attack.text }, 0.95), ...samplePassages()] };
}

/** Start and end offsets of every data block in a rendered user message. */
function dataBlockRanges(text: string): Array<[number, number]> {
  const pattern = /<customer_message>[\s\S]*?<\/customer_message>|<passage [^<>]*>[\s\S]*?<\/passage>|<turn [^<>]*>[\s\S]*?<\/turn>/g;
  return [...text.matchAll(pattern)].map((match) => [match.index, match.index + match[0].length]);
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** The attack's visible lines (after neutralization) occur only inside data blocks, and no block is broken. */
function expectConfined(user: string, attackText: string, structure: Record<string, number>): void {
  for (const [tag, expected] of Object.entries(structure)) expect(count(user, tag), tag).toBe(expected);
  for (const marker of ['<system', '<|im_', '<<SYS', '<!--']) expect(user).not.toContain(marker);
  const ranges = dataBlockRanges(user);
  for (const [start, end] of ranges) {
    const inner = user.slice(user.indexOf('>', start) + 1, user.lastIndexOf('<', end - 1));
    expect(inner).not.toMatch(/[<>]/);
  }
  const lines = neutralizeData(attackText)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => [...line].length >= 6);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    let at = user.indexOf(line);
    expect(at, `"${line}" is in the prompt`).toBeGreaterThanOrEqual(0);
    while (at >= 0) {
      const position = at;
      expect(ranges.some(([start, end]) => position > start && position + line.length < end), `"${line}" is inside a data block`).toBe(true);
      at = user.indexOf(line, at + 1);
    }
  }
}

function storedMessage(index: number, turn: HistoryTurn): StoredMessage {
  return { id: `m${index}`, conversationId: 'c1', seq: index + 1, role: turn.role, text: turn.text, channel: 'web', citations: [], at: '2026-01-01T00:00:00Z' };
}

const userOf = (messages: ChatMessage[]) => messages.find((message) => message.role === 'user')?.content ?? '';
const systemOf = (messages: ChatMessage[]) => messages.find((message) => message.role === 'system')?.content ?? '';

describe('prompt injection: the corpus', () => {
  it('has at least 30 attacks, in both languages and through every vector', () => {
    expect(INJECTION_CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(INJECTION_CORPUS.map((attack) => attack.id)).size).toBe(INJECTION_CORPUS.length);
    for (const lang of ['zh', 'en']) expect(INJECTION_CORPUS.filter((attack) => attack.lang === lang).length).toBeGreaterThanOrEqual(12);
    for (const vector of ['question', 'history', 'passage']) expect(INJECTION_CORPUS.some((attack) => attack.vector === vector)).toBe(true);
  });
});

describe('prompt injection: assembly keeps attacks inside data blocks', () => {
  it.each(INJECTION_CORPUS.map((attack) => [attack.id, attack] as const))('answer prompt: %s', async (_id, attack) => {
    const baseline = await buildAnswerPrompt(prompts, { ...answerInput(attack), question: 'hello', passages: samplePassages(), history: HISTORY });
    const built = await buildAnswerPrompt(prompts, answerInput(attack));
    expect(systemOf(built.messages)).toBe(systemOf(baseline.messages));
    const user = userOf(built.messages);
    const passages = built.passageIds.length;
    const turns = attack.vector === 'history' ? 3 : 2;
    expectConfined(user, attack.text, {
      '<customer_message>': 1,
      '</customer_message>': 1,
      '<passage ': passages,
      '</passage>': passages,
      '<conversation>': 1,
      '</conversation>': 1,
      '<turn ': turns,
      '</turn>': turns,
      '<answer_language>': 1,
    });
  });

  const questions = INJECTION_CORPUS.filter((attack) => attack.vector !== 'passage');
  it.each(questions.map((attack) => [attack.id, attack] as const))('rewrite, classify and summary prompts: %s', async (_id, attack) => {
    const rewrite = await buildRewritePrompt(prompts, { text: attack.text, history: HISTORY });
    expect(systemOf(rewrite)).toBe(systemOf(await buildRewritePrompt(prompts, { text: 'hi', history: HISTORY })));
    expectConfined(userOf(rewrite), attack.text, { '<customer_message>': 1, '</customer_message>': 1, '<turn ': 2, '</turn>': 2 });

    const classify = await buildClassifyPrompt(prompts, attack.text);
    expect(systemOf(classify)).toBe(systemOf(await buildClassifyPrompt(prompts, 'hi')));
    expectConfined(userOf(classify), attack.text, { '<customer_message>': 1, '</customer_message>': 1 });

    const messages = [...HISTORY, { role: 'customer' as const, text: attack.text }].map((turn, index) => storedMessage(index, turn));
    const summary = await buildSummaryPrompt(prompts, { messages, reason: 'asked', lang: attack.lang });
    expectConfined(userOf(summary), attack.text, { '<transcript>': 1, '</transcript>': 1, '<turn ': 3, '</turn>': 3 });
  });
});

describe('prompt injection: the output guard stops a model that complied', () => {
  const model = () => new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 });
  const complyWith = (attack: InjectionAttack) =>
    fake.respondWith((request) => ({
      json: { covered: true, answer: attack.complied === 'leak' ? request.system : attack.complied, citations: ['return-policy'] },
    }));

  it.each(INJECTION_CORPUS.map((attack) => [attack.id, attack] as const))('%s', async (_id, attack) => {
    complyWith(attack);
    const error = await composeGroundedAnswer({ ...answerInput(attack), model: model(), prompts }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmBadOutputError);
    expect(error).toMatchObject({ reason: 'unsafe_output' });
  });

  it('stops a streamed leak early, before much of the prompt is shown', async () => {
    const attack = INJECTION_CORPUS.find((candidate) => candidate.id === 'zh-send-system-prompt');
    if (!attack) throw new Error('corpus changed');
    complyWith(attack);
    let shown = '';
    const error = await (async () => {
      for await (const event of streamGroundedAnswer({ ...answerInput(attack), model: model(), prompts })) if (event.type === 'text-delta') shown += event.text;
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ reason: 'unsafe_output' });
    expect(shown.length).toBeLessThan(120);
  });

  it('stops a partial leak of one paragraph of the system prompt', async () => {
    fake.respondWith((request) => {
      const paragraph = request.system.split('\n\n')[1] ?? '';
      return { json: { covered: true, answer: `Sure. ${paragraph.slice(40, 200)}`, citations: [] } };
    });
    await expect(composeGroundedAnswer({ ...answerInput(INJECTION_CORPUS[0]!), model: model(), prompts })).rejects.toMatchObject({ reason: 'unsafe_output' });
  });

  it('lets an ordinary refusal through', async () => {
    fake.respondWith(() => ({ json: { covered: false, answer: "Sorry, I can only help with questions about the shop's products, orders and services.", citations: [] } }));
    const answer = await composeGroundedAnswer({ ...answerInput(INJECTION_CORPUS[1]!), model: model(), prompts });
    expect(answer.covered).toBe(false);
  });
});
