import { describe, expect, it } from 'vitest';
import { CHUNK_SIZES } from './article-splitter.js';
import { buildIndexPoints } from './index-points.js';
import { parseMarkdownArticle } from './markdown-article-format.js';

const BODY = Array.from({ length: 30 }, (_, n) => `第${n + 1}条：保修期内非人为损坏的商品可以免费维修，维修周期一般为七个工作日${n % 2 ? '。' : '！'}`).join('\n');

const article = (front: string, body = BODY) => `---\n${front}\n---\n\n${body}\n`;

const GOOD = article(
  ['id: warranty-policy', 'title:', '  zh: 保修政策', '  en: Warranty policy', 'questions: [保修多久, 坏了能免费修吗, How long is the warranty?]', 'category: 售后/售后维修', 'tags: 保修，维修', 'skill_group: after-sales'].join('\n'),
);

describe('parseMarkdownArticle', () => {
  it('reads the front matter, keeps the whole body as the answer and splits it into chunks', async () => {
    const { entries, problems } = await parseMarkdownArticle(GOOD, '售后/保修.md', ['售后']);
    expect(problems).toEqual([]);
    const entry = entries[0];
    expect(entry).toMatchObject({
      id: 'warranty-policy',
      category: ['售后', '售后维修'],
      title: { zh: '保修政策', en: 'Warranty policy' },
      // The title counts as a question, in each language it is given in.
      questions: { zh: ['保修政策', '保修多久', '坏了能免费修吗'], en: ['Warranty policy', 'How long is the warranty?'] },
      answer: { zh: BODY },
      tags: ['保修', '维修'],
      skillGroup: 'after-sales',
      source: { file: '售后/保修.md', line: 1 },
    });
    const chunks = entry?.chunks ?? [];
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(CHUNK_SIZES.zh.chunkSize);
      expect(chunk).toMatch(/^第\d+条/u);
      expect(chunk).toMatch(/[。！]$/u);
    }
  });

  it('indexes one point per chunk that carries the entry id and category', async () => {
    const { entries } = await parseMarkdownArticle(GOOD, 'a.md', []);
    const chunks = entries[0]?.chunks ?? [];
    const build = buildIndexPoints(entries);
    const chunkPoints = build.points.filter((point) => point.id.includes(':chunk:'));
    expect(chunkPoints.map((point) => point.id)).toEqual(chunks.map((_, n) => `warranty-policy:chunk:${n}`));
    for (const point of chunkPoints) expect(point).toMatchObject({ entryId: 'warranty-policy', lang: 'zh', category: ['售后', '售后维修'], tags: ['保修', '维修'] });
    expect(build.texts.slice(-chunks.length)).toEqual(chunks);
    // The question points are still there, the title included once.
    expect(build.points.filter((point) => !point.id.includes(':chunk:'))).toHaveLength(5);
  });

  it('takes the folder as category, detects the language and files plain questions by language', async () => {
    const body = 'Items can be returned within 30 days. Keep the receipt!';
    const { entries, problems } = await parseMarkdownArticle(article('id: returns-en\ntitle: Returns\nquestions: [Can I return it?, 可以退吗]\ntags: [returns]', body), 'r.md', ['Help']);
    expect(problems).toEqual([]);
    expect(entries[0]).toMatchObject({ category: ['Help'], title: { en: 'Returns' }, questions: { en: ['Returns', 'Can I return it?'], zh: ['可以退吗'] }, answer: { en: body }, skillGroup: '', chunks: [body] });
  });

  it('reads CRLF files with a BOM', async () => {
    const { entries, problems } = await parseMarkdownArticle(`\ufeff${article('id: a1\ntitle: 标题', '正文。').replace(/\n/g, '\r\n')}`, 'a.md', []);
    expect(problems).toEqual([]);
    expect(entries[0]).toMatchObject({ id: 'a1', answer: { zh: '正文。' } });
  });

  it('reports front-matter problems on their line, in both languages', async () => {
    const front = ['title: 标题', 'id: "bad id"', 'category: 售后', 'author: someone'].join('\n');
    const { entries, problems } = await parseMarkdownArticle(article(front), 'bad.md', []);
    expect(entries).toEqual([]);
    const found = problems.map((problem) => [problem.file, problem.line, problem.field, problem.message.zh]);
    expect(found).toHaveLength(2);
    expect(found).toContainEqual(['bad.md', 3, 'id', 'ID 只能包含字母、数字、点、下划线和连字符（最多 64 个）']);
    expect(found).toContainEqual(['bad.md', 5, 'author', '无法识别的字段']);
  });

  it('reports a missing title, an empty body, missing front matter and broken YAML', async () => {
    const noTitle = await parseMarkdownArticle(article('id: a', ''), 'a.md', []);
    expect(noTitle.problems.map((problem) => [problem.line, problem.field])).toEqual([[1, 'title'], [4, 'body']]);
    expect(noTitle.problems[1]?.message).toEqual({ en: 'the article body (the answer) is empty', zh: '正文（答案）不能为空' });
    expect((await parseMarkdownArticle('# Just a heading\n\nText.', 'b.md', [])).problems).toEqual([
      expect.objectContaining({ file: 'b.md', line: 1, message: expect.objectContaining({ en: expect.stringMatching(/needs front matter/) }) }),
    ]);
    const broken = await parseMarkdownArticle(article('id: a\ntitle: [unclosed'), 'c.md', []);
    expect(broken.problems).toEqual([expect.objectContaining({ file: 'c.md', message: expect.objectContaining({ en: expect.stringMatching(/not valid YAML/) }) })]);
    expect(broken.problems[0]?.line).toBeGreaterThanOrEqual(3);
  });
});
