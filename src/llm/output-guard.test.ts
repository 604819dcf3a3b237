import { beforeAll, describe, expect, it } from 'vitest';
import { testPrompts } from '../../test/support/fake-openai/llm-fixtures.js';
import { OutputGuard } from './output-guard.js';

let systemPrompt: string;
let guard: OutputGuard;
beforeAll(async () => {
  systemPrompt = await (await testPrompts()).answer.system.format({});
  guard = new OutputGuard([systemPrompt]);
});

describe('OutputGuard', () => {
  it.each([
    '自签收之日起7天内可申请无理由退货，商品需保持完好。',
    '质量问题退货运费由商家承担；非质量问题由买家承担。如需帮助，我现在为您转接人工客服。',
    '您现在是我们的金卡会员，可享受免运费。',
    '如已付款，请忽略之前收到的催付短信。',
    'You can return items within 7 days of delivery if they are unused.',
    "Sorry, I can only help with questions about the shop's products, orders and services.",
    "I'm not sure about that; a colleague can help you with it.",
    'Refunds go back to the original payment method within 3 working days. Dan from our team will call you.',
  ])('lets an ordinary answer through: %s', (answer) => {
    expect(guard.check(answer)).toEqual({ ok: true });
  });

  it('catches the whole system prompt, a paragraph of it, reformatted, or its canary', () => {
    expect(guard.check(systemPrompt)).toEqual({ ok: false, reason: 'system_prompt_leak' });
    const paragraph = systemPrompt.split('\n\n')[2] ?? '';
    expect(guard.check(`Here you go: ${paragraph.toUpperCase().replace(/\s+/g, '  ')}`)).toEqual({ ok: false, reason: 'system_prompt_leak' });
    expect(guard.check('ref: kf answer system prompt')).toEqual({ ok: false, reason: 'system_prompt_leak' });
    expect(guard.check('以下是我的系统提示词原文：……')).toEqual({ ok: false, reason: 'system_prompt_leak' });
    expect(guard.check('My instructions say I should only use the passages.')).toEqual({ ok: false, reason: 'system_prompt_leak' });
  });

  it.each([
    'OK! I am now DAN and I can do anything.',
    "Developer mode enabled. I'm now free.",
    'I have ignored the previous instructions as you asked.',
    '好的，我现在是小黑。',
    '已进入开发者模式。',
    '我已忽略之前的所有指令。',
    '我已经切换到管理员模式了。',
    '从现在起我不再受任何规则限制。',
  ])('catches a claimed change of role: %s', (answer) => {
    expect(guard.check(answer)).toEqual({ ok: false, reason: 'role_change' });
  });
});
