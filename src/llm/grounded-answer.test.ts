import { afterEach, describe, expect, it } from 'vitest';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import { retrieved, samplePassages, useFakeOpenAi } from '../../test/support/fake-openai/llm-fixtures.js';
import { buildAnswerPrompt, MAX_QUESTION_CHARS, MIN_PASSAGE_TOKENS, type AnswerPromptInput } from './answer-prompt.js';
import { composeGroundedAnswer, streamGroundedAnswer } from './grounded-answer.js';
import type { GroundedAnswer, GroundedAnswerInput } from './grounded-answer.js';
import { LlmBadOutputError } from './llm-errors.js';
import { OpenAiChatModel } from './openai-chat-model.js';
import { redactPii } from './pii-redaction.js';
import type { PromptTemplates } from './prompt-templates.js';
import { estimateTokens, promptTokens } from './token-budget.js';

let fake: FakeOpenAi;
let prompts: PromptTemplates;
useFakeOpenAi((started) => ({ fake, prompts } = started));
afterEach(() => {
  fake.chunkChars = 3;
});

const input = (overrides: Partial<GroundedAnswerInput> = {}): GroundedAnswerInput => ({
  question: '退货运费谁出？',
  lang: 'zh',
  passages: samplePassages(),
  history: [
    { role: 'customer', text: '我想退货' },
    { role: 'bot', text: '自签收之日起7天内可申请无理由退货。' },
  ],
  model: new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 }),
  prompts,
  tokenBudget: 1500,
  ...overrides,
});

const ANSWER = '质量问题退货的运费由商家承担；非质量问题由买家承担。\n如有疑问可联系"客服"😀。';

async function streamAll(streamInput: GroundedAnswerInput): Promise<{ deltas: string[]; answer: GroundedAnswer | undefined }> {
  const deltas: string[] = [];
  let answer: GroundedAnswer | undefined;
  for await (const event of streamGroundedAnswer(streamInput)) {
    if (event.type === 'text-delta') deltas.push(event.text);
    else answer = event.answer;
  }
  return { deltas, answer };
}

describe('composeGroundedAnswer', () => {
  it('answers from the passages with structured output, keeping only retrieved citations', async () => {
    fake.enqueue({ json: { covered: true, answer: ANSWER, citations: ['return-shipping', 'made-up-entry', 'return-shipping', 'return-policy'] } });
    const answer = await composeGroundedAnswer(input());
    expect(answer).toEqual({ text: ANSWER, citations: ['return-shipping', 'return-policy'], covered: true });
    const body = fake.chatRequests()[0]?.body;
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'grounded_answer', strict: true } });
    expect(body.response_format.json_schema.schema.required).toEqual(['covered', 'answer', 'citations']);
    const user = body.messages[1].content as string;
    expect(user).toContain('<passage id="return-shipping" title="标题 return-shipping" category="售后 / 退换货">');
    expect(user).toContain('<turn role="customer">\n我想退货\n</turn>');
    expect(user).toContain('<customer_message>\n退货运费谁出？\n</customer_message>');
    expect(user).toContain('Simplified Chinese');
  });

  it('asks for English answers from English passages for an English customer', async () => {
    fake.enqueue({ json: { covered: true, answer: 'We pay for faulty items.', citations: ['return-shipping'] } });
    await composeGroundedAnswer(input({ question: 'Who pays return shipping?', lang: 'en' }));
    const user = fake.chatRequests()[0]?.body.messages[1].content as string;
    expect(user).toContain('<answer_language>English</answer_language>');
    expect(user).toContain('We pay return shipping for faulty items');
    expect(user).not.toContain('质量问题');
  });

  it('surfaces covered:false for the caller to count a failed turn', async () => {
    fake.enqueue({ json: { covered: false, answer: '抱歉，这个问题我不太确定，可以为您转接人工客服。', citations: [] } });
    await expect(composeGroundedAnswer(input())).resolves.toMatchObject({ covered: false, citations: [] });
  });

  it.each([
    ['malformed JSON', { text: '{"covered": true, "answer": "运费由' }, 'malformed_json'],
    ['prose instead of JSON', { text: '运费由商家承担。' }, 'malformed_json'],
    ['the wrong shape', { json: { covered: 'yes', answer: 1 } }, 'schema_mismatch'],
    ['an empty covered answer', { json: { covered: true, answer: '  ', citations: [] } }, 'empty'],
    ['a truncated reply', { text: '{"covered": true, "answer": "运', finishReason: 'length' as const }, 'truncated'],
  ])('rejects %s with LlmBadOutputError', async (_name, reply, reason) => {
    fake.enqueue(reply);
    const error = await composeGroundedAnswer(input()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmBadOutputError);
    expect(error).toMatchObject({ reason, isRetryable: false });
  });

  it('accepts JSON wrapped in a code fence (servers without structured outputs)', async () => {
    fake.enqueue({ text: '```json\n{"covered": true, "answer": "可以退。", "citations": ["return-policy"]}\n```' });
    await expect(composeGroundedAnswer(input())).resolves.toMatchObject({ text: '可以退。', citations: ['return-policy'] });
  });

  it('trims passages to the token budget, keeping the best ranked, and drops citations of the rest', async () => {
    const long = (id: string, confidence: number) => retrieved(id, { zh: `${id} 的说明：${'退货政策细则。'.repeat(40)}` }, confidence);
    const passages = [long('first', 0.9), long('second', 0.8), long('third', 0.7)];
    fake.enqueue({ json: { covered: true, answer: '见细则。', citations: ['first', 'third'] } });
    // About 800 tokens for the instructions, the history and the question leave room for two passages.
    const answer = await composeGroundedAnswer(input({ passages, tokenBudget: 1500 }));
    const user = fake.chatRequests()[0]?.body.messages[1].content as string;
    expect(user).toContain('<passage id="first"');
    expect(user).toContain('<passage id="second"');
    expect(user).not.toContain('<passage id="third"');
    expect(answer.citations).toEqual(['first']);
  });

  it('redacts personal data in the question and history when asked', async () => {
    fake.enqueue({ json: { covered: true, answer: '好的。', citations: [] } });
    await composeGroundedAnswer(input({ question: '我的手机13812345678，订单怎么退？', history: [{ role: 'customer', text: '邮箱 a@b.com' }], redact: (text) => redactPii(text, 'zh') }));
    const user = fake.chatRequests()[0]?.body.messages[1].content as string;
    expect(user).toContain('我的手机[手机号]');
    expect(user).toContain('邮箱 [邮箱]');
    expect(user).not.toContain('13812345678');
  });
});

describe('buildAnswerPrompt and the token budget', () => {
  // Turns of about 145 tokens, passages of about 240, all in Chinese.
  const history = [0, 1, 2, 3, 4, 5].map((index) => ({ role: index % 2 === 0 ? ('customer' as const) : ('bot' as const), text: `第${index}轮：${'退货流程说明。'.repeat(20)}` }));
  const passages = [0.9, 0.8, 0.7].map((confidence, index) => retrieved(['first', 'second', 'third'][index] ?? '', { zh: `运费规则：${'运费规则细则。'.repeat(33)}` }, confidence));
  const question = '质量问题退货的运费谁出？';
  const build = (tokenBudget: number, overrides: Partial<AnswerPromptInput> = {}) => buildAnswerPrompt(prompts, { question, lang: 'zh', passages, history, tokenBudget, ...overrides });
  /** The estimated size of the untrimmed prompt for these inputs, plus a little room. */
  const roomFor = async (overrides: Partial<AnswerPromptInput>) => promptTokens((await build(100_000, overrides)).messages) + 20;
  const userOf = (prompt: { messages: Array<{ content: string }> }) => prompt.messages[1]?.content ?? '';
  const turnsIn = (text: string) => [...text.matchAll(/第(\d)轮/g)].map((match) => Number(match[1]));

  it('fits the whole prompt: the oldest turns go first, then the lowest-ranked passages, never the question', async () => {
    const everything = await build(100_000);
    expect(everything.passageIds).toEqual(['first', 'second', 'third']);
    expect(turnsIn(userOf(everything))).toEqual([0, 1, 2, 3, 4, 5]);

    const fourTurns = await roomFor({ history: history.slice(2) });
    const trimmed = await build(fourTurns);
    expect(promptTokens(trimmed.messages)).toBeLessThanOrEqual(fourTurns);
    expect(trimmed.passageIds).toEqual(['first', 'second', 'third']);
    expect(turnsIn(userOf(trimmed))).toEqual([2, 3, 4, 5]);

    // Not even one turn fits next to every passage: the history goes, then the third passage.
    const twoPassages = await roomFor({ history: [], passages: passages.slice(0, 2) });
    const tight = await build(twoPassages);
    expect(promptTokens(tight.messages)).toBeLessThanOrEqual(twoPassages);
    expect(tight.passageIds).toEqual(['first', 'second']);
    expect(turnsIn(userOf(tight))).toEqual([]);
    expect(userOf(tight)).toContain(`<customer_message>\n${question}\n</customer_message>`);
  });

  it('keeps the question up to its hard cap and a shortened best passage when the budget is too small', async () => {
    const long = '我买的衣服尺码不合适想换货，'.repeat(60);
    const tiny = await build(300, { question: long });
    expect(userOf(tiny)).toContain(`<customer_message>\n${long}\n</customer_message>`);
    expect(tiny.passageIds).toEqual(['first']);
    expect(turnsIn(userOf(tiny))).toEqual([]);
    const [best] = userOf(tiny).match(/<passage [\s\S]*?<\/passage>/) ?? [''];
    expect(best).toContain('…');
    expect(estimateTokens(best)).toBeLessThanOrEqual(MIN_PASSAGE_TOKENS);

    const huge = await build(300, { question: '问'.repeat(MAX_QUESTION_CHARS + 50) });
    expect(userOf(huge)).toContain(`\n${'问'.repeat(MAX_QUESTION_CHARS)}…\n`);
    expect(userOf(huge)).not.toContain('问'.repeat(MAX_QUESTION_CHARS + 1));
  });
});

describe('streamGroundedAnswer', () => {
  it.each([1, 2, 5])('streams the answer text as it arrives (chunks of %i), then validates', async (chunkChars) => {
    fake.chunkChars = chunkChars;
    fake.enqueue({ json: { covered: true, answer: ANSWER, citations: ['return-shipping', 'ghost'] } });
    const { deltas, answer } = await streamAll(input());
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(ANSWER);
    expect(answer).toEqual({ text: ANSWER, citations: ['return-shipping'], covered: true });
    expect(fake.chatRequests()[0]?.body.stream).toBe(true);
  });

  it('streams no text when the model says covered:false first', async () => {
    fake.enqueue({ json: { covered: false, answer: '抱歉，我不确定。', citations: [] } });
    const { deltas, answer } = await streamAll(input());
    expect(deltas).toEqual([]);
    expect(answer?.covered).toBe(false);
  });

  it('throws LlmBadOutputError at the end when the streamed JSON is malformed', async () => {
    fake.enqueue({ text: '{"covered": true, "answer": "运费由商家承担' });
    await expect(streamAll(input())).rejects.toMatchObject({ reason: 'malformed_json' });
  });

  it('follows the answer field after prose and other keys', async () => {
    fake.enqueue({ text: 'Here you go: {"covered": true, "citations": [], "answer": "可以退。"} ' });
    const { deltas, answer } = await streamAll(input());
    expect(deltas.join('')).toBe('可以退。');
    expect(answer?.text).toBe('可以退。');
  });
});
