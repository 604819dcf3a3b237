import { describe, expect, it } from 'vitest';
import { intentFeatures } from './intent-features.js';

describe('intentFeatures', () => {
  it('gives jieba words and character n-grams for Chinese', () => {
    const features = intentFeatures('转人工客服');
    expect(features).toEqual(expect.arrayContaining(['w:人工', 'c1:转', 'c2:人工', 'c3:转人工', 'c2:^转', 'c2:服$']));
  });

  it('keeps negations, question words and function words', () => {
    expect(intentFeatures('没解决吗？')).toEqual(expect.arrayContaining(['c1:没', 'neg:解决', 'c1:吗', 'mark:?']));
    const english = intentFeatures('That did NOT help, what now?');
    expect(english).toEqual(expect.arrayContaining(['e1:not', 'e2:not help', 'neg:help', 'e1:what', 'e1:^that']));
  });

  it('expands contractions, including typographic apostrophes', () => {
    const plain = intentFeatures('it did not work');
    expect(intentFeatures("it didn't work")).toEqual(expect.arrayContaining(['e1:not', 'neg:work']));
    expect(intentFeatures('it didn’t work').filter((feature) => feature.startsWith('e'))).toEqual(
      plain.filter((feature) => feature.startsWith('e')),
    );
  });

  it('stems English words and adds character trigrams for typos', () => {
    const features = intentFeatures('Thanks for helping');
    expect(features).toEqual(expect.arrayContaining(['e1:thank', 'e1:help', 'e2:thank for', 'g3:<th', 'g3:nks']));
  });

  it('handles mixed and full-width text', () => {
    const features = intentFeatures('我要转人工 ＰＬＥＡＳＥ');
    expect(features).toEqual(expect.arrayContaining(['c2:人工', 'g3:<pl', 'e1:pleas']));
    // A Han run separates English words: no bigram across it.
    expect(intentFeatures('bye 拜拜 see')).not.toContain('e2:bye see');
  });

  it('marks lexicon cues and reference numbers', () => {
    expect(intentFeatures('退款多久到账')).toContain('cue:store');
    expect(intentFeatures('how do I get a refund')).toContain('cue:store');
    expect(intentFeatures('太垃圾了')).toContain('cue:anger');
    expect(intentFeatures('my ticket T20261122-0042')).toContain('mark:ref');
    expect(intentFeatures('你好')).not.toContain('mark:ref');
  });

  it('buckets the message length and copes with empty text', () => {
    expect(intentFeatures('hi')).toContain('len:1');
    expect(intentFeatures('我想问一下运费怎么算的')).toContain('len:9+');
    expect(intentFeatures('')).toEqual(['len:1']);
  });
});
