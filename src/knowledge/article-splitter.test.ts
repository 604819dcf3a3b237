import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import { describe, expect, it } from 'vitest';
import { ARTICLE_SEPARATORS, CHUNK_SIZES, splitArticle } from './article-splitter.js';

const zhSentence = (n: number) => `第${n}条：商品签收后如有质量问题，可以在订单详情页申请售后服务${['。', '！', '？'][n % 3]}`;
const ZH_ARTICLE = Array.from({ length: 40 }, (_, n) => zhSentence(n)).join('');
const EN_ARTICLE = Array.from({ length: 60 }, (_, n) => `Rule ${n} says that damaged items can be returned within seven days${['.', '!', '?'][n % 3]}`).join(' ');

describe('splitArticle', () => {
  it('shows why the override exists: LangChain moves 。 to the start of the next chunk', async () => {
    const stock = new RecursiveCharacterTextSplitter({ ...CHUNK_SIZES.zh, separators: ARTICLE_SEPARATORS, keepSeparator: true });
    const chunks = await stock.splitText(ZH_ARTICLE);
    expect(chunks.slice(1).some((chunk) => /^[。！？；]/u.test(chunk))).toBe(true);
  });

  it('keeps Chinese sentence punctuation at the end of its chunk, within the size, with overlap', async () => {
    const chunks = await splitArticle(ZH_ARTICLE, 'zh');
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_SIZES.zh.chunkSize);
      expect(chunk).toMatch(/^第\d+条/u);
      expect(chunk).toMatch(/[。！？；]$/u);
    }
    // Consecutive chunks share a sentence, so one cut at an edge is whole in one of them.
    const lastSentence = (chunk: string) => /第\d+条[^。！？；]*[。！？；]$/u.exec(chunk)?.[0];
    expect(chunks[1]?.startsWith(lastSentence(chunks[0] as string) as string)).toBe(true);
    // Nothing is lost: every sentence is in some chunk.
    for (let n = 0; n < 40; n += 1) expect(chunks.some((chunk) => chunk.includes(zhSentence(n)))).toBe(true);
  });

  it('treats 。！？ alike and keeps a closing quote with its sentence', async () => {
    const text = `${'客服说：“请先拍照留证。”'.repeat(12)}${'包装破损怎么办！'.repeat(20)}`;
    const chunks = await splitArticle(text, 'zh');
    for (const chunk of chunks) expect(chunk).toMatch(/(。”|！)$/u);
  });

  it('splits English at sentence ends, keeping the full stop', async () => {
    const chunks = await splitArticle(EN_ARTICLE, 'en');
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_SIZES.en.chunkSize);
      expect(chunk).toMatch(/^Rule \d+/u);
      expect(chunk).toMatch(/days[.!?]$/u);
    }
  });

  it('prefers paragraph breaks, keeps a short article whole and an empty one empty', async () => {
    const paragraphs = [ZH_ARTICLE.slice(0, 200), ZH_ARTICLE.slice(200, 400)].map((part) => part.replace(/[^。！？；]*$/u, ''));
    expect(await splitArticle(paragraphs.join('\n\n'), 'zh')).toEqual(paragraphs);
    expect(await splitArticle('  只有一句话。 ', 'zh')).toEqual(['只有一句话。']);
    expect(await splitArticle(' \n ', 'zh')).toEqual([]);
  });
});
