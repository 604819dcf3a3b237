import { describe, expect, it } from 'vitest';
import { estimateTokens, fitToBudget, MESSAGE_OVERHEAD_TOKENS, promptTokens, truncateToTokens } from './token-budget.js';

describe('estimateTokens', () => {
  it('counts about one token per CJK character', () => {
    expect(estimateTokens('退货运费谁出')).toBe(6);
    expect(estimateTokens('退货运费谁出？')).toBe(7);
  });

  it('counts about 0.75 English words per token, plus symbols', () => {
    expect(estimateTokens('who pays return shipping')).toBe(6);
    expect(estimateTokens("it's 7-day")).toBe(Math.ceil(3 / 0.75) + 1);
  });

  it('handles mixed text and empty text', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('iPhone 15退货')).toBe(2 + Math.ceil(2 / 0.75));
  });
});

describe('truncateToTokens', () => {
  it('keeps text within the budget and marks the cut', () => {
    const cut = truncateToTokens('一二三四五六七八九十', 5);
    expect(cut).toBe('一二三四…');
    expect(estimateTokens(cut)).toBeLessThanOrEqual(5);
    expect(truncateToTokens('short', 10)).toBe('short');
  });
});

describe('fitToBudget', () => {
  const shrink = (item: { id: string; cost: number }, budget: number) => ({ ...item, cost: budget });

  it('keeps the best ranked items that fit, skipping ones too big', () => {
    const items = [
      { id: 'a', cost: 40 },
      { id: 'b', cost: 50 },
      { id: 'c', cost: 30 },
      { id: 'd', cost: 20 },
    ];
    expect(fitToBudget(items, 100, (item) => item.cost, shrink).map((item) => item.id)).toEqual(['a', 'b']);
    expect(fitToBudget(items, 85, (item) => item.cost, shrink).map((item) => item.id)).toEqual(['a', 'c']);
    expect(fitToBudget(items, 90, (item) => item.cost, shrink).map((item) => item.id)).toEqual(['a', 'b']);
  });

  it('always keeps the best item, shrunk to the budget', () => {
    expect(fitToBudget([{ id: 'a', cost: 500 }, { id: 'b', cost: 5 }], 100, (item) => item.cost, shrink)).toEqual([{ id: 'a', cost: 100 }]);
  });
});

describe('promptTokens', () => {
  it('adds up the messages and the overhead of each', () => {
    const messages = [{ content: '退货运费谁出？' }, { content: 'who pays return shipping' }];
    expect(promptTokens(messages)).toBe(7 + 6 + 2 * MESSAGE_OVERHEAD_TOKENS);
    expect(promptTokens([])).toBe(0);
  });
});
