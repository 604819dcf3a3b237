import { describe, expect, it } from 'vitest';
import { wechatTextParts } from './wechat-text-parts.js';

describe('wechatTextParts', () => {
  it('keeps a short text whole', () => {
    expect(wechatTextParts('七天无理由退货')).toEqual(['七天无理由退货']);
    expect(wechatTextParts('')).toEqual([]);
  });

  it('cuts long Chinese text under the byte limit, at a line break when one is near', () => {
    const paragraph = '退'.repeat(500);
    const parts = wechatTextParts(`${paragraph}\n${paragraph}\n${paragraph}`, 2000);
    expect(parts).toEqual([`${paragraph}`, `${paragraph}`, `${paragraph}`]);
    const unbroken = wechatTextParts('货'.repeat(1500), 2000);
    expect(unbroken.map((part) => Buffer.byteLength(part))).toEqual([1998, 1998, 504]);
    expect(unbroken.join('')).toBe('货'.repeat(1500));
  });

  it('never splits an emoji', () => {
    const parts = wechatTextParts('😀'.repeat(600), 2000);
    expect(parts.every((part) => Buffer.byteLength(part) <= 2000 && !/[\uD800-\uDBFF]$/.test(part))).toBe(true);
    expect(parts.join('')).toBe('😀'.repeat(600));
  });
});
