import { describe, expect, it } from 'vitest';
import { detectEmotion } from './detect-emotion.js';

describe('detectEmotion', () => {
  it.each([
    ['气死了，到底什么时候发货', 'angry'],
    ['你们这什么破服务，垃圾！', 'angry'],
    ['This is ridiculous, I have waited two weeks', 'angry'],
    ['Absolutely unacceptable!!', 'angry'],
    ['很失望', 'upset'],
    ['我对这次购物不满意', 'upset'],
    ['I am really disappointed with the delivery', 'upset'],
    ['我很着急，明天就要用', 'anxious'],
    ['Please hurry, it is urgent', 'anxious'],
    ['非常满意，谢谢', 'positive'],
    ['Great, thank you!', 'positive'],
    ['我想查一下订单', 'neutral'],
    ['How do I reset my password?', 'neutral'],
  ])('reads "%s" as %s', (text, emotion) => {
    expect(detectEmotion(text).emotion).toBe(emotion);
  });

  it('reads negation in Chinese', () => {
    expect(detectEmotion('不是很满意').emotion).toBe('upset');
    expect(detectEmotion('我并不生气，只是问问').emotion).not.toMatch(/angry|upset/);
    expect(detectEmotion('还不错').emotion).toBe('positive');
  });

  it('reads negation in English', () => {
    expect(detectEmotion('not bad').emotion).not.toMatch(/angry|upset/);
    expect(detectEmotion("I'm not satisfied").emotion).toBe('upset');
    expect(detectEmotion('not angry, just asking').emotion).toBe('neutral');
  });

  it('grows with intensifiers and exclamation marks', () => {
    expect(detectEmotion('非常失望！！').intensity).toBeGreaterThan(detectEmotion('失望').intensity);
    expect(detectEmotion('I am VERY annoyed!!!').emotion).toBe('angry');
    expect(detectEmotion('annoyed').emotion).toBe('upset');
  });

  it('names the words that decided it', () => {
    expect(detectEmotion('气死了').cues).toContain('气死了');
  });
});
