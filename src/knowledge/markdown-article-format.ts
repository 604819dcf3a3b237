import matter from 'gray-matter';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { KnowledgeProblem } from '../errors.js';
import { detectLang, LANGS, type Lang, type Localized } from '../text/lang.js';
import type { KbEntry } from './kb-entry.js';
import { knowledgeProblem } from './knowledge-problem.js';
import { ENTRY_ID_PATTERN, problemAt, splitCategory, type ParsedKnowledgeFile } from './yaml-faq-format.js';

/**
 * @module Reads a long article: Markdown with YAML front matter; the body is the answer.
 *
 * @example
 * ---
 * id: warranty-policy
 * title: { zh: 保修政策, en: Warranty policy }
 * questions: [保修多久, 坏了能修吗]
 * category: 售后/售后维修
 * ---
 * 所有商品自签收之日起享受一年保修。……
 */

const text = z.string().trim().min(1, 'must not be empty');
const localizedText = z
  .object({ zh: text.optional(), en: text.optional() })
  .strict()
  .refine((value) => value.zh !== undefined || value.en !== undefined, { message: 'needs zh or en' });
const stringList = z.array(z.union([z.string(), z.number()]).transform(String));

const frontMatterSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(ENTRY_ID_PATTERN, 'letters, digits, ., _ and - only (max 64)')),
    title: z.union([text, localizedText]),
    questions: z.union([z.array(text), z.object({ zh: z.array(text).optional(), en: z.array(text).optional() }).strict()]).optional(),
    category: z.string().optional(),
    tags: z.union([z.string(), stringList]).optional(),
    skill_group: z.string().optional(),
    lang: z.enum(LANGS).optional(),
    media: z.array(z.url()).default([]),
  })
  .strict();
type FrontMatter = z.output<typeof frontMatterSchema>;

/**
 * Parses a Markdown article. The title (and any `questions`) are what customers are matched
 * against; the whole body is the answer, and its chunks are indexed too. Problems in the front
 * matter name their line; the body's language is `lang` or detected.
 */
export async function parseMarkdownArticle(content: string, file: string, folderCategory: string[]): Promise<ParsedKnowledgeFile> {
  const source = content.replace(/^\ufeff/u, '').replace(/\r\n?/gu, '\n');
  // gray-matter only cuts the file; the front matter is parsed with `yaml` (YAML 1.2, as the FAQ
  // files) so problems carry line numbers. Passing options also bypasses gray-matter's cache.
  const parts = matter(source, { engines: { yaml: () => ({}) } });
  if (parts.matter.trim() === '') {
    return { entries: [], problems: [knowledgeProblem({ file, line: 1 }, 'needs front matter (--- id, title --- at the top)', '缺少文件头（开头需要 --- id、title ---）')] };
  }
  // `matter` starts with the newline after the opening `---`, so its line numbers are the file's.
  const lineCounter = new LineCounter();
  const document = parseDocument(parts.matter, { lineCounter, uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    return { entries: [], problems: [knowledgeProblem({ file, line: yamlError.linePos?.[0]?.line ?? 1 }, `front matter is not valid YAML: ${yamlError.message.split('\n')[0]}`, '文件头 YAML 格式错误')] };
  }
  const parsed = frontMatterSchema.safeParse(document.toJS());
  // The line right after the closing `---`, where the body (the answer) starts.
  const bodyLine = source.slice(0, source.length - parts.content.length).split('\n').length;
  const body = parts.content.trim();
  const problems: KnowledgeProblem[] = [];
  if (!parsed.success) {
    const lineOf = (key: string | number | undefined) => {
      const node = key === undefined ? undefined : document.getIn([key], true);
      return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : 1;
    };
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
      // An unknown key (often a typo such as `skillgroup`) is reported on its own line.
      const fields = issue.code === 'unrecognized_keys' ? issue.keys : [path.join('.') || '(front matter)'];
      for (const field of fields) problems.push(problemAt(file, lineOf(issue.code === 'unrecognized_keys' ? field : path[0]), field, issue.message));
    }
  }
  if (body === '') problems.push(knowledgeProblem({ file, line: bodyLine, field: 'body' }, 'the article body (the answer) is empty', '正文（答案）不能为空'));
  if (!parsed.success || problems.length > 0) return { entries: [], problems };
  return { entries: [await articleEntry(parsed.data, body, file, folderCategory)], problems };
}

async function articleEntry(front: FrontMatter, body: string, file: string, folderCategory: string[]): Promise<KbEntry> {
  const lang: Lang = front.lang ?? detectLang(body);
  const title: Localized = typeof front.title === 'string' ? { [lang]: front.title } : front.title;
  const listed = Array.isArray(front.questions) ? byLanguage(front.questions, lang) : (front.questions ?? {});
  const questions: KbEntry['questions'] = {};
  for (const questionLang of LANGS) {
    const own = [title[questionLang], ...(listed[questionLang] ?? [])].filter((question): question is string => question !== undefined);
    if (own.length > 0) questions[questionLang] = [...new Set(own)];
  }
  return {
    id: front.id,
    category: front.category !== undefined && front.category.trim() !== '' ? splitCategory(front.category) : folderCategory,
    title,
    questions,
    answer: { [lang]: body },
    tags: typeof front.tags === 'string' ? front.tags.split(/[,，|]/u).map((tag) => tag.trim()).filter((tag) => tag !== '') : (front.tags ?? []),
    skillGroup: front.skill_group ?? '',
    media: front.media,
    // LangChain's splitters are loaded with the first article, not by every process that reads a KB.
    chunks: await (await import('./article-splitter.js')).splitArticle(body, lang),
    source: { file, line: 1 },
  };
}

/** A plain question list may mix languages; each question goes to the language it is written in. */
function byLanguage(questions: string[], fallback: Lang): KbEntry['questions'] {
  const result: KbEntry['questions'] = {};
  for (const question of questions) (result[detectLang(question, fallback)] ??= []).push(question);
  return result;
}
