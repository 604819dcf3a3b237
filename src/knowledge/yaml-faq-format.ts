import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import type { KnowledgeProblem } from '../errors.js';
import type { KbEntry } from './kb-entry.js';

export const ENTRY_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

const text = z.string().trim().min(1, 'must not be empty');
const localizedText = z.object({ zh: text.optional(), en: text.optional() }).strict();
const questionList = z.array(text);

const entrySchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(ENTRY_ID_PATTERN, 'letters, digits, ., _ and - only (max 64)')),
    title: localizedText.optional(),
    category: z.string().optional(),
    tags: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
    questions: z.object({ zh: questionList.optional(), en: questionList.optional() }).strict(),
    answer: localizedText,
    skill_group: z.string().optional(),
    media: z.array(z.url()).default([]),
  })
  .strict()
  .refine((entry) => (entry.questions.zh?.length ?? 0) + (entry.questions.en?.length ?? 0) > 0, {
    message: 'needs at least one question',
    path: ['questions'],
  })
  .refine((entry) => entry.answer.zh !== undefined || entry.answer.en !== undefined, {
    message: 'needs an answer in zh or en',
    path: ['answer'],
  });

const fileSchema = z
  .object({
    skill_group: z.string().optional(),
    category: z.string().optional(),
    entries: z.array(z.unknown()),
  })
  .strict();

export interface ParsedKnowledgeFile {
  entries: KbEntry[];
  problems: KnowledgeProblem[];
}

/** Splits a category written as `售后/退换货` or `售后 > 退换货` into its path. */
export function splitCategory(category: string): string[] {
  return category
    .split(/\s*[/>＞|]\s*/u)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * Reads a YAML FAQ list. Each problem names the line of the offending node, so editors can go
 * straight to it; entries with problems are left out, the others are returned.
 */
export function parseYamlFaq(content: string, file: string, folderCategory: string[]): ParsedKnowledgeFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(content, { lineCounter, uniqueKeys: true });
  const problems: KnowledgeProblem[] = [];
  const lineOf = (path: Array<string | number>): number | undefined => {
    for (let depth = path.length; depth >= 0; depth -= 1) {
      const node = document.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  for (const error of document.errors) {
    problems.push({
      severity: 'error',
      file,
      line: error.linePos?.[0]?.line ?? 1,
      message: { en: `not valid YAML: ${error.message.split('\n')[0]}`, zh: 'YAML 格式错误' },
    });
  }
  if (problems.length > 0) return { entries: [], problems };

  const parsedFile = fileSchema.safeParse(document.toJS());
  if (!parsedFile.success) {
    for (const issue of parsedFile.error.issues) {
      const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
      problems.push(problemAt(file, lineOf(path), path.join('.') || '(file)', issue.message));
    }
    return { entries: [], problems };
  }

  const entries: KbEntry[] = [];
  parsedFile.data.entries.forEach((raw, index) => {
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = ['entries', index, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
        problems.push(problemAt(file, lineOf(path), path.slice(2).join('.') || `entries[${index}]`, issue.message));
      }
      return;
    }
    const entry = parsed.data;
    const categoryText = entry.category ?? parsedFile.data.category;
    const firstQuestion = { zh: entry.questions.zh?.[0], en: entry.questions.en?.[0] };
    entries.push({
      id: entry.id,
      category: categoryText !== undefined ? splitCategory(categoryText) : folderCategory,
      title: {
        ...(entry.title?.zh ?? firstQuestion.zh ? { zh: entry.title?.zh ?? firstQuestion.zh } : {}),
        ...(entry.title?.en ?? firstQuestion.en ? { en: entry.title?.en ?? firstQuestion.en } : {}),
      },
      questions: {
        ...(entry.questions.zh ? { zh: entry.questions.zh } : {}),
        ...(entry.questions.en ? { en: entry.questions.en } : {}),
      },
      answer: entry.answer,
      tags: entry.tags,
      skillGroup: entry.skill_group ?? parsedFile.data.skill_group ?? '',
      media: entry.media,
      source: { file, ...(lineOf(['entries', index]) !== undefined ? { line: lineOf(['entries', index]) as number } : {}) },
    });
  });
  return { entries, problems };
}

export function problemAt(file: string, line: number | undefined, field: string, message: string): KnowledgeProblem {
  return {
    severity: 'error',
    file,
    ...(line !== undefined ? { line } : {}),
    field,
    message: { en: message, zh: translateIssue(message) },
  };
}

/** Chinese wording for the validation messages editors meet most often. */
function translateIssue(message: string): string {
  if (/empty/.test(message)) return '不能为空';
  if (/at least one question/.test(message)) return '至少需要一个问题';
  if (/answer/.test(message)) return '需要中文或英文答案';
  if (/Unrecognized key/i.test(message)) return '无法识别的字段';
  if (/expected/i.test(message)) return '字段类型不正确';
  if (/letters, digits/.test(message)) return 'ID 只能包含字母、数字、点、下划线和连字符（最多 64 个）';
  if (/URL/i.test(message)) return '链接格式不正确';
  return '字段无效';
}
