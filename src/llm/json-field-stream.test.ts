import { describe, expect, it } from 'vitest';
import { JsonFieldStream } from './json-field-stream.js';

function feed(text: string, size: number): { reader: JsonFieldStream; deltas: string[] } {
  const reader = new JsonFieldStream('answer');
  const deltas: string[] = [];
  const chars = [...text];
  for (let start = 0; start < chars.length; start += size) deltas.push(reader.push(chars.slice(start, start + size).join('')));
  return { reader, deltas };
}

describe('JsonFieldStream', () => {
  const answer = '退货请在7天内申请。\n运费 "由商家" 承担 \\ 😀 ok';
  const json = JSON.stringify({ covered: true, answer, citations: ['a', 'b'] });

  it.each([1, 2, 3, 7, 1000])('decodes the answer field progressively (fragments of %i)', (size) => {
    const { reader, deltas } = feed(json, size);
    expect(deltas.join('')).toBe(answer);
    expect(reader.text).toBe(answer);
    expect(reader.primitive('covered')).toBe('true');
  });

  it('decodes \\u escapes, surrogate pairs split across fragments included', () => {
    const escaped = '{"answer":"\\u9000\\u8d27 \\ud83d\\ude00!"}';
    const { deltas } = feed(escaped, 1);
    expect(deltas.join('')).toBe('退货 😀!');
    expect(deltas.every((delta) => !/[\ud800-\udbff]$/.test(delta))).toBe(true);
  });

  it('finds the field after other keys, nested values and a code fence', () => {
    const text = '```json\n{"citations":["x","y"],"meta":{"answer":"not this"},"covered":false,"answer":"这个"}\n```';
    const { reader, deltas } = feed(text, 4);
    expect(deltas.join('')).toBe('这个');
    expect(reader.primitive('covered')).toBe('false');
  });

  it('knows covered before the answer starts when it comes first', () => {
    const reader = new JsonFieldStream('answer');
    expect(reader.push('{"covered": false, "ans')).toBe('');
    expect(reader.primitive('covered')).toBe('false');
  });

  it('yields nothing for text that is not JSON', () => {
    expect(feed('Sorry, I cannot help.', 3).deltas.join('')).toBe('');
  });
});
