import { describe, expect, it } from 'vitest';
import { normalize } from './normalize.js';

describe('normalize', () => {
  it('turns full-width letters, digits and punctuation into half-width text', () => {
    expect(normalize('ＡＢＣ１２３，退货？')).toBe('abc123 退货');
    expect(normalize('ｉＰｈｏｎｅ　１５')).toBe('iphone 15');
  });

  it('maps Chinese punctuation to spaces and collapses whitespace', () => {
    expect(normalize('  我想退货。谢谢！ ')).toBe('我想退货 谢谢');
    expect(normalize('“好的”《说明书》【急】……')).toBe('好的 说明书 急');
    expect(normalize('退货,谢谢')).toBe('退货 谢谢');
  });

  it('keeps punctuation inside numbers, versions and addresses', () => {
    expect(normalize('Hello, World? 1,000 v2.1 shop.example.com')).toBe('hello world 1,000 v2.1 shop.example.com');
    expect(normalize('我的工单T20261122-0042怎么样了？')).toBe('我的工单t20261122-0042怎么样了');
  });

  it('keeps typographic apostrophes inside words and drops zero-width characters', () => {
    expect(normalize('That didn’t help')).toBe("that didn't help");
    expect(normalize('退\u200b货')).toBe('退货');
  });

  it('returns an empty string for punctuation only', () => {
    expect(normalize(' ？！。 ')).toBe('');
  });
});
