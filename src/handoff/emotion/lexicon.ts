/**
 * The embedded emotion lexicon: words and phrases customers use, each with a feeling and a
 * weight (1 mild, 2 strong, 3 very strong). Kept small and curated; longer phrases win over
 * the words inside them.
 *
 * @module
 */

/** The feeling a term expresses. */
export type Feeling = 'anger' | 'sadness' | 'anxiety' | 'joy';

/** One lexicon term. */
export interface Term {
  feeling: Feeling;
  weight: number;
}

const zhTerms: Record<Feeling, Record<string, number>> = {
  anger: {
    气死: 3, 气死了: 3, 太气人: 3, 火大: 3, 愤怒: 3, 忍无可忍: 3, 垃圾: 3, 骗子: 3, 坑人: 3, 欺诈: 3, 无耻: 3,
    什么破: 2, 投诉你们: 3, 曝光: 2, 差劲: 2, 太差: 2, 离谱: 2, 生气: 2, 恶心: 2, 过分: 2, 搞什么: 2,
    敷衍: 2, 不像话: 2, 受够了: 3, 烦死: 2, 忽悠: 2, 态度差: 2, 态度恶劣: 3, 滚: 3,
  },
  sadness: {
    失望: 2, 不满意: 2, 不满: 2, 难过: 1, 伤心: 2, 郁闷: 1, 无语: 1, 遗憾: 1, 糟糕: 2, 崩溃: 2, 心累: 2,
    倒霉: 1, 后悔: 1, 差评: 2, 没用: 1,
  },
  anxiety: { 着急: 1, 急死: 2, 急用: 1, 尽快: 1, 赶紧: 1, 担心: 1, 焦虑: 2, 等不及: 2, 怎么还没: 1, 到底什么时候: 2, 马上: 1 },
  joy: { 满意: 2, 谢谢: 1, 感谢: 1, 太好了: 2, 好评: 2, 开心: 2, 不错: 1, 棒: 1, 给力: 2, 赞: 1, 喜欢: 1 },
};

const enTerms: Record<Feeling, Record<string, number>> = {
  anger: {
    ridiculous: 3, 'this is ridiculous': 3, outrageous: 3, furious: 3, angry: 2, annoyed: 2, unacceptable: 3,
    scam: 3, rip: 1, 'rip off': 3, useless: 2, pathetic: 3, terrible: 2, awful: 2, worst: 3, horrible: 2,
    disgusting: 3, 'fed up': 3, 'sick of': 3, 'waste of time': 2, joke: 1, incompetent: 3, bad: 1, rude: 2,
  },
  sadness: { disappointed: 2, disappointing: 2, unhappy: 2, sad: 1, upset: 2, frustrated: 2, frustrating: 2, dissatisfied: 2, poor: 1, regret: 1 },
  anxiety: { urgent: 1, urgently: 1, asap: 1, worried: 1, anxious: 2, hurry: 1, 'still waiting': 2, immediately: 1 },
  joy: { satisfied: 2, happy: 2, great: 1, thanks: 1, 'thank you': 1, excellent: 2, good: 1, love: 1, awesome: 2, helpful: 1, perfect: 2 },
};

function flatten(source: Record<Feeling, Record<string, number>>): Map<string, Term> {
  const map = new Map<string, Term>();
  for (const [feeling, terms] of Object.entries(source) as Array<[Feeling, Record<string, number>]>) {
    for (const [text, weight] of Object.entries(terms)) map.set(text, { feeling, weight });
  }
  return map;
}

/** Chinese terms, longest first (matched as substrings). */
export const ZH_TERMS = [...flatten(zhTerms)].sort(([a], [b]) => b.length - a.length);
/** English terms (whole words or phrases of whole words). */
export const EN_TERMS = flatten(enTerms);
/** Longest English phrase, in words. */
export const EN_MAX_WORDS = Math.max(...[...EN_TERMS.keys()].map((text) => text.split(' ').length));

/** Words that flip the next term: "不满意" is listed itself, "不是很满意" is 满意 negated. */
export const ZH_NEGATORS = ['不是', '并不', '没有', '不太', '不', '没', '别', '未', '无'];
export const EN_NEGATORS = new Set(['not', 'no', 'never', "isn't", "wasn't", "don't", "doesn't", "didn't", "aren't", "won't", 'hardly', 'nothing', 'without']);
/** Words that make the next term stronger, with their factor. */
export const ZH_INTENSIFIERS: Record<string, number> = { 非常: 1.5, 特别: 1.5, 极其: 1.8, 十分: 1.5, 太: 1.5, 很: 1.3, 超: 1.5, 真: 1.3, 好: 1.2, 超级: 1.6, 实在: 1.4 };
export const EN_INTENSIFIERS: Record<string, number> = { very: 1.5, so: 1.4, really: 1.4, extremely: 1.8, totally: 1.5, absolutely: 1.6, completely: 1.5, too: 1.3 };
