import type { KnowledgeProblem } from '../errors.js';
import { knowledgeProblem } from './knowledge-problem.js';

/** The columns of a CSV or XLSX FAQ sheet, by their canonical (English) name. */
export const FAQ_COLUMNS = ['id', 'category', 'questions', 'answer', 'tags', 'skill_group', 'lang'] as const;
export type FaqColumn = (typeof FAQ_COLUMNS)[number];

/** Columns a sheet cannot do without; the others have defaults. */
export const REQUIRED_FAQ_COLUMNS: readonly FaqColumn[] = ['id', 'questions', 'answer'];

// Editors type headers by hand, in Chinese or English, so a few obvious variants are accepted.
const HEADER_ALIASES: Record<FaqColumn, string[]> = {
  id: ['id', '编号'],
  category: ['category', '分类'],
  questions: ['questions', 'question', '问题'],
  answer: ['answer', '答案'],
  tags: ['tags', 'tag', '标签'],
  skill_group: ['skill_group', 'skillgroup', '技能组'],
  lang: ['lang', 'language', '语言'],
};

const COLUMN_OF_HEADER = new Map<string, FaqColumn>(
  FAQ_COLUMNS.flatMap((column) => HEADER_ALIASES[column].map((alias) => [alias, column] as [string, FaqColumn])),
);

/** Column positions (0-based) of a sheet, by canonical name. */
export type FaqColumnMap = Partial<Record<FaqColumn, number>>;

function headerKey(cell: string): string {
  return cell.normalize('NFKC').trim().toLowerCase().replace(/[\s-]+/gu, '_');
}

/**
 * Maps a header row to column positions. Unknown columns are a warning (they are ignored); a
 * repeated or missing required column is an error for the whole file.
 */
export function mapFaqHeader(cells: string[], file: string, line: number): { columns: FaqColumnMap; problems: KnowledgeProblem[] } {
  const columns: FaqColumnMap = {};
  const problems: KnowledgeProblem[] = [];
  cells.forEach((cell, position) => {
    if (cell.trim() === '') return;
    const column = COLUMN_OF_HEADER.get(headerKey(cell));
    if (column === undefined) {
      problems.push(knowledgeProblem({ file, line, field: cell.trim() }, `column "${cell.trim()}" is not a known column and is ignored`, `无法识别的列「${cell.trim()}」，已忽略`, 'warning'));
    } else if (columns[column] !== undefined) {
      problems.push(knowledgeProblem({ file, line, field: column }, `column "${column}" appears twice`, `列「${column}」重复`));
    } else {
      columns[column] = position;
    }
  });
  for (const column of REQUIRED_FAQ_COLUMNS) {
    if (columns[column] !== undefined) continue;
    const accepted = HEADER_ALIASES[column].join(' / ');
    problems.push(knowledgeProblem({ file, line, field: column }, `required column "${column}" is missing (header: ${accepted})`, `缺少必填列「${column}」（表头：${accepted}）`));
  }
  return { columns, problems };
}
