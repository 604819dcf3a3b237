import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('gives jieba words and every character bigram of a Chinese run', () => {
    const terms = tokenize('我想退换货');
    expect(terms).toContain('退换货');
    expect(terms).toEqual(expect.arrayContaining(['我想', '想退', '退换', '换货']));
  });

  it('segments a support request into words', () => {
    const terms = tokenize('怎么联系人工客服');
    expect(terms).toEqual(expect.arrayContaining(['人工', '客服', '联系']));
  });

  it('drops pure function words but keeps the bigrams that contain them', () => {
    const terms = tokenize('我的订单');
    expect(terms).not.toContain('我');
    expect(terms).not.toContain('的');
    expect(terms).toEqual(expect.arrayContaining(['订单', '我的', '的订']));
  });

  it('keeps a one-character query so it can still match', () => {
    expect(tokenize('退')).toEqual(['退']);
    expect(tokenize('吗？')).toEqual([]);
  });

  it('handles mixed Chinese and English', () => {
    const terms = tokenize('iPhone15怎么退货');
    expect(terms).toEqual(expect.arrayContaining(['iphone15', '15', '退货', '么退']));
    expect(terms.some((term) => term.startsWith('iphon'))).toBe(true);
  });

  it('normalizes full-width text first', () => {
    expect(tokenize('ＷＩＦＩ连不上')).toEqual(tokenize('wifi连不上'));
  });

  it('lower-cases, drops English stop words and stems', () => {
    expect(tokenize('How do I return my shoes? Refunded?')).toEqual(['return', 'shoe', 'refund']);
    expect(tokenize('Shipping to Canada')).toEqual(['ship', 'canada']);
    expect(tokenize('wi-fi')).toEqual(['wi', 'fi']);
  });

  it('tokenizes 10,000 short FAQ questions quickly', () => {
    const stems = ['请问怎么申请退款', '运费多少钱', '会员积分怎么用', 'How do I reset my password?', '发票能开专票吗'];
    const questions = Array.from({ length: 10_000 }, (_, index) => {
      // Vary the Han runs so the segmentation cache does not answer everything.
      const noise = String.fromCharCode(0x4e00 + ((index * 7919) % 20_000));
      return `${stems[index % stems.length] ?? ''}${noise}商品第${index}单`;
    });
    tokenize('预热');
    const started = performance.now();
    let count = 0;
    for (const question of questions) count += tokenize(question).length;
    const elapsed = performance.now() - started;
    console.log(`tokenize: 10000 questions, ${count} terms in ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(2_000);
  });
});
