import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { FakeOpenAi } from '../../test/support/fake-openai/index.js';
import { useFakeOpenAi } from '../../test/support/fake-openai/llm-fixtures.js';
import type { HistoryTurn } from './history-turn.js';
import { LlmMetrics } from './llm-metrics.js';
import { OpenAiChatModel } from './openai-chat-model.js';
import type { PromptTemplates } from './prompt-templates.js';
import { rewriteFollowUp } from './rewrite-follow-up.js';
import type { RewriteInput } from './rewrite-follow-up.js';

let fake: FakeOpenAi;
let prompts: PromptTemplates;
useFakeOpenAi((started) => ({ fake, prompts } = started));

const HISTORY: HistoryTurn[] = [
  { role: 'customer', text: '退货要多久到账？' },
  { role: 'bot', text: '退款将在收到退货后3个工作日内原路退回。' },
  { role: 'system', text: 'internal note' },
];

const input = (overrides: Partial<RewriteInput> = {}): RewriteInput => ({
  text: '那运费呢？',
  history: HISTORY,
  model: new OpenAiChatModel({ baseURL: fake.baseURL, model: 'fake-chat', maxRetries: 0 }),
  prompts,
  ...overrides,
});

describe('rewriteFollowUp', () => {
  it('rewrites a follow-up into a standalone question from the recent turns', async () => {
    fake.enqueue({ json: { question: '退货的运费由谁承担？' } });
    await expect(rewriteFollowUp(input())).resolves.toBe('退货的运费由谁承担？');
    const body = fake.chatRequests()[0]?.body;
    const user = body.messages[1].content as string;
    expect(user).toContain('<turn role="customer">\n退货要多久到账？\n</turn>');
    expect(user).toContain('<turn role="assistant">\n退款将在收到退货后3个工作日内原路退回。\n</turn>');
    expect(user).not.toContain('internal note');
    expect(user).toContain('<customer_message>\n那运费呢？\n</customer_message>');
    expect(body.response_format.json_schema.name).toBe('standalone_question');
  });

  it('works in English too', async () => {
    fake.enqueue({ json: { question: 'Who pays shipping for returns?' } });
    const history: HistoryTurn[] = [
      { role: 'customer', text: 'How long do refunds take?' },
      { role: 'bot', text: 'Within 3 working days.' },
    ];
    await expect(rewriteFollowUp(input({ text: 'and for returns?', history }))).resolves.toBe('Who pays shipping for returns?');
  });

  it('makes no call without history', async () => {
    await expect(rewriteFollowUp(input({ history: [] }))).resolves.toBe('那运费呢？');
    await expect(rewriteFollowUp(input({ history: [{ role: 'system', text: 'x' }] }))).resolves.toBe('那运费呢？');
    expect(fake.chatRequests()).toHaveLength(0);
  });

  it.each([
    ['a server error', { status: 500 }],
    ['malformed JSON', { text: '{"question": ' }],
    ['the wrong shape', { json: { rewritten: 'x' } }],
    ['an empty rewrite', { json: { question: '   ' } }],
    ['an implausibly long rewrite', { json: { question: '运费'.repeat(300) } }],
  ])('falls back to the original text on %s', async (_name, reply) => {
    const registry = new Registry();
    fake.enqueue(reply);
    await expect(rewriteFollowUp(input({ metrics: new LlmMetrics(registry) }))).resolves.toBe('那运费呢？');
    expect(await registry.getSingleMetricAsString('llm_fallbacks_total')).toMatch(/llm_fallbacks_total\{reason="(unavailable|bad_output)"\} 1/);
  });
});
