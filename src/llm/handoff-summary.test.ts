import { describe, expect, it } from 'vitest';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import { useFakeOpenAi } from '../../test/support/fake-openai/llm-fixtures.js';
import { extractiveSummary } from '../handoff/handoff-summary.js';
import type { StoredMessage } from '../store/records.js';
import { summarizeHandoff } from './handoff-summary.js';
import type { HandoffSummaryInput } from './handoff-summary.js';
import { OpenAiChatModel } from './openai-chat-model.js';
import { redactPii } from './pii-redaction.js';
import type { PromptTemplates } from './prompt-templates.js';

let fake: FakeOpenAi;
let prompts: PromptTemplates;
useFakeOpenAi((started) => ({ fake, prompts } = started));

const message = (seq: number, role: StoredMessage['role'], text: string): StoredMessage => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  role,
  text,
  channel: 'web',
  citations: role === 'bot' ? [{ entryId: 'return-shipping', title: '退货运费', category: ['售后'], kbVersion: 3 }] : [],
  at: '2026-01-01T00:00:00Z',
});

const MESSAGES = [
  message(1, 'customer', '我的订单 202405131234 退货运费谁出？手机13812345678'),
  message(2, 'bot', '质量问题退货运费由商家承担。'),
  message(3, 'customer', '说了半天没用，转人工！'),
];

const input = (overrides: Partial<HandoffSummaryInput> = {}): HandoffSummaryInput => ({
  messages: MESSAGES,
  reason: 'asked',
  lang: 'zh',
  model: new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 }),
  prompts,
  ...overrides,
});

describe('summarizeHandoff', () => {
  it('writes three labelled lines from the transcript', async () => {
    fake.enqueue({ json: { wants: '订单 202405131234 退货运费由谁承担', tried: '机器人回答了质量问题运费规则', mood: '不耐烦，\n要求转人工' } });
    const summary = await summarizeHandoff(input({ redact: (text) => redactPii(text) }));
    expect(summary.split('\n')).toEqual(['诉求：订单 202405131234 退货运费由谁承担', '已尝试：机器人回答了质量问题运费规则', '情绪：不耐烦， 要求转人工']);
    const user = fake.chatRequests()[0]?.body.messages[1].content as string;
    expect(user).toContain('<transcript>');
    expect(user).toContain('说了半天没用，转人工！');
    expect(user).toContain('手机[手机号]');
    expect(user).toContain('Customer asked for a person');
  });

  it('labels the lines in English for an English console', async () => {
    fake.enqueue({ json: { wants: 'Return shipping costs', tried: 'Policy answer', mood: 'impatient' } });
    await expect(summarizeHandoff(input({ lang: 'en' }))).resolves.toBe('Wants: Return shipping costs\nTried: Policy answer\nMood: impatient');
  });

  it.each([
    ['a server error', { status: 503 }],
    ['malformed JSON', { text: 'The customer wants…' }],
    ['a missing field', { json: { wants: 'x', tried: 'y' } }],
  ])('falls back to the extractive summary on %s', async (_name, reply) => {
    fake.enqueue(reply);
    await expect(summarizeHandoff(input())).resolves.toBe(extractiveSummary(MESSAGES, 'asked', 'zh'));
  });
});
