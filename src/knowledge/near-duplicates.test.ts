import { describe, expect, it } from 'vitest';
import { normalize } from '../text/normalize.js';
import type { KbEntry } from './kb-entry.js';
import { findNearDuplicates, nearDuplicateWarnings, type QuestionRef } from './near-duplicates.js';

const ref = (entryId: string, question: string): QuestionRef => ({ entryId, question });

/** The definition, pair by pair: what the indexed search must reproduce exactly. */
function bruteForce(questions: QuestionRef[], threshold: number): Array<[number, number]> {
  const grams = questions.map((item) => {
    const chars = [...normalize(item.question).replace(/\s+/g, '')];
    return new Set(chars.length < 2 ? chars : chars.slice(1).map((char, at) => `${chars[at]}${char}`));
  });
  const pairs: Array<[number, number]> = [];
  for (let b = 0; b < questions.length; b += 1) {
    for (let a = 0; a < b; a += 1) {
      const x = grams[a] as Set<string>;
      const y = grams[b] as Set<string>;
      if (x.size === 0 || questions[a]?.entryId === questions[b]?.entryId) continue;
      if (normalize(questions[a]?.question ?? '') === normalize(questions[b]?.question ?? '')) continue;
      const shared = [...x].filter((gram) => y.has(gram)).length;
      if (shared / (x.size + y.size - shared) >= threshold - 1e-9) pairs.push([a, b]);
    }
  }
  return pairs;
}

/** Deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const HAN = '退货换款发票订单物流会员积分优惠券支付密码账号登录保修维修快递地址修改取消申请多久怎么可以吗什么时候能不能';

describe('findNearDuplicates', () => {
  it('finds questions of different entries worded almost the same', () => {
    const pairs = findNearDuplicates([
      ref('return', '七天无理由退货的申请流程是什么'),
      ref('return', '七天无理由退货的申请流程是什么呢'), // same entry: paraphrases are meant to be close
      ref('refund', '七天无理由退货的申请流程是什么呀'),
      ref('invoice', '怎么开发票'),
      ref('shipping', 'How long does shipping take to Shanghai?'),
      ref('delivery', 'how long does shipping take to shanghai'), // identical once normalized: reported elsewhere
      ref('express', 'How long does the shipping take to Shanghai?'),
    ]);
    expect(pairs.map(({ first, second }) => [first.question, second.question])).toEqual([
      ['七天无理由退货的申请流程是什么', '七天无理由退货的申请流程是什么呀'],
      ['七天无理由退货的申请流程是什么呢', '七天无理由退货的申请流程是什么呀'],
      ['How long does shipping take to Shanghai?', 'How long does the shipping take to Shanghai?'],
      ['how long does shipping take to shanghai', 'How long does the shipping take to Shanghai?'],
    ]);
    expect(pairs[0]?.similarity).toBeCloseTo(14 / 15, 5);
  });

  it('ignores different questions and respects the threshold', () => {
    const questions = [ref('a', '怎么退货'), ref('b', '怎么退款'), ref('c', '退货地址在哪')];
    expect(findNearDuplicates(questions)).toEqual([]);
    expect(findNearDuplicates(questions, 0.5).map(({ first, second }) => [first.entryId, second.entryId])).toEqual([['a', 'b']]);
  });

  it('agrees with the pair-by-pair definition on random questions', () => {
    const next = random(42);
    const pick = () => HAN[Math.floor(next() * HAN.length)] as string;
    const questions: QuestionRef[] = [];
    for (let at = 0; at < 400; at += 1) {
      const base = questions[Math.floor(next() * questions.length)]?.question;
      const position = Math.floor(next() * (base?.length ?? 0));
      // Most questions are small edits of an earlier one (one character added or replaced), so
      // there are pairs on both sides of the threshold.
      const text = base === undefined || next() < 0.3
        ? Array.from({ length: 6 + Math.floor(next() * 14) }, pick).join('')
        : next() < 0.5 ? `${base}${pick()}` : `${base.slice(0, position)}${pick()}${base.slice(position + 1)}`;
      questions.push(ref(`e${Math.floor(next() * 300)}`, text));
    }
    for (const threshold of [0.85, 0.6]) {
      const expected = bruteForce(questions, threshold);
      const found = findNearDuplicates(questions, threshold).map(({ first, second }) => [questions.indexOf(first), questions.indexOf(second)]);
      expect(found).toEqual(expected);
      expect(expected.length).toBeGreaterThan(20);
    }
  });

  it('handles 10,000 entries with 5 questions each quickly', () => {
    const next = random(7);
    // A realistic spread: thousands of distinct characters, and a few very common words.
    const pick = () => String.fromCodePoint(0x4e00 + Math.floor(next() * 3000));
    const common = ['怎么', '请问', '如何', '可以', '为什么', ''];
    const ending = ['吗', '呢', '？', ''];
    const questions: QuestionRef[] = [];
    for (let entry = 0; entry < 10_000; entry += 1) {
      const stem = Array.from({ length: 6 + Math.floor(next() * 10) }, pick).join('');
      for (let n = 0; n < 5; n += 1) {
        const words = [common[Math.floor(next() * common.length)], stem, pick(), ending[Math.floor(next() * ending.length)]];
        questions.push(ref(`entry-${entry}`, words.join('')));
      }
    }
    questions.push(ref('copy', `${questions[0]?.question}啊`));
    const started = performance.now();
    const pairs = findNearDuplicates(questions);
    // Typically well under a second; the bound leaves room for a busy CI machine.
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(pairs.some((pair) => pair.second.entryId === 'copy')).toBe(true);
  });
});

describe('nearDuplicateWarnings', () => {
  it('warns at the entry read later, naming the other entry, in English and Chinese', () => {
    const entry = (id: string, question: string, line: number): KbEntry => ({
      id, category: [], title: { zh: question }, questions: { zh: [question] }, answer: { zh: '答案' }, tags: [], skillGroup: '', media: [], source: { file: 'faq.csv', line },
    });
    const warnings = nearDuplicateWarnings([entry('a', '会员积分可以兑换哪些优惠券', 2), entry('b', '会员积分可以兑换哪些优惠券呢', 3)]);
    expect(warnings).toEqual([{
      severity: 'warning', file: 'faq.csv', line: 3, field: 'questions',
      message: {
        en: 'question "会员积分可以兑换哪些优惠券呢" is nearly the same as "会员积分可以兑换哪些优惠券" of entry a (92% similar)',
        zh: '问题「会员积分可以兑换哪些优惠券呢」与条目 a 的问题「会员积分可以兑换哪些优惠券」几乎相同（相似度 92%）',
      },
    }]);
  });
});
