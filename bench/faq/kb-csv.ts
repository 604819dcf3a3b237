import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FaqEntry } from './bq-data.js';

const HEADER = ['id', 'category', 'questions', 'answer', 'tags', 'skill_group', 'lang'];

function cell(text: string): string {
  return /[",\n\r]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/**
 * Writes `entries` as the one CSV of a knowledge folder (`<dir>/faq.csv`), in the product's FAQ
 * sheet format: the question is the entry's only question and its id is the answer. `|`
 * separates questions in that format, so one inside a question becomes `/` (punctuation never
 * reaches retrieval terms).
 */
export function writeKbCsv(dir: string, entries: FaqEntry[], lang: 'zh' | 'en' = 'zh'): string {
  mkdirSync(dir, { recursive: true });
  const lines = [HEADER.join(',')];
  for (const entry of entries) {
    const question = entry.question.replace(/[|\r\n]+/gu, '/');
    lines.push([entry.id, '', question, entry.id, '', '', lang].map(cell).join(','));
  }
  const file = path.join(dir, 'faq.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
