import type { KnowledgeProblem } from '../errors.js';
import { detectLang, type Lang } from '../text/lang.js';
import { mapFaqHeader, type FaqColumn, type FaqColumnMap } from './faq-sheet-columns.js';
import type { KbEntry } from './kb-entry.js';
import { knowledgeProblem } from './knowledge-problem.js';
import { ENTRY_ID_PATTERN, splitCategory, type ParsedKnowledgeFile } from './yaml-faq-format.js';

/** One row of a CSV file or worksheet: its cells as text and where it starts (header = 1). */
export interface SheetRow {
  line: number;
  cells: string[];
}

/** A valid data row, before rows of the same id are merged. */
interface FaqRow {
  line: number;
  id: string;
  lang: Lang;
  questions: string[];
  answer: string;
  category: string;
  tags: string[];
  skillGroup: string;
}

const LANG_NAMES: Record<Lang, string> = { zh: '中文', en: '英文' };
const LANG_VALUES = new Map<string, Lang>([['zh', 'zh'], ['en', 'en'], ['中文', 'zh'], ['英文', 'en']]);

const isBlank = (row: SheetRow) => row.cells.every((cell) => cell.trim() === '');
const splitList = (text: string, separator: RegExp) => [...new Set(text.split(separator).map((part) => part.trim()).filter((part) => part !== ''))];

/**
 * Turns the rows of a FAQ sheet (CSV or the first worksheet of an XLSX) into entries. The first
 * non-empty row is the header; each later row is one entry in one language, and rows sharing an
 * id in different languages become one bilingual entry. Rows with problems are left out.
 */
export function parseFaqSheet(rows: SheetRow[], file: string, folderCategory: string[]): ParsedKnowledgeFile {
  const filled = rows.filter((row) => !isBlank(row));
  const header = filled[0];
  if (!header) return { entries: [], problems: [knowledgeProblem({ file, line: 1 }, 'the file has no header row', '文件没有表头行')] };
  const { columns, problems } = mapFaqHeader(header.cells, file, header.line);
  if (problems.some((problem) => problem.severity === 'error')) return { entries: [], problems };

  const merged = new Map<string, { entry: KbEntry; first: FaqRow; lines: Partial<Record<Lang, number>> }>();
  for (const row of filled.slice(1)) {
    const parsed = parseRow(row, columns, file);
    if ('problems' in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const earlier = merged.get(parsed.id);
    if (!earlier) {
      merged.set(parsed.id, { entry: entryOf(parsed, file, folderCategory), first: parsed, lines: { [parsed.lang]: parsed.line } });
      continue;
    }
    const conflicts = mergeConflicts(parsed, earlier.first, earlier.lines[parsed.lang], file);
    if (conflicts.length > 0) {
      problems.push(...conflicts);
      continue;
    }
    addLanguage(earlier.entry, parsed, earlier.first);
    earlier.lines[parsed.lang] = parsed.line;
  }
  return { entries: [...merged.values()].map(({ entry }) => entry), problems };
}

function parseRow(row: SheetRow, columns: FaqColumnMap, file: string): FaqRow | { problems: KnowledgeProblem[] } {
  const cell = (column: FaqColumn) => {
    const position = columns[column];
    return position === undefined ? '' : (row.cells[position] ?? '').trim();
  };
  const at = (field: FaqColumn) => ({ file, line: row.line, field });
  const problems: KnowledgeProblem[] = [];
  const id = cell('id');
  if (id === '') problems.push(knowledgeProblem(at('id'), 'id is empty', '编号不能为空'));
  else if (!ENTRY_ID_PATTERN.test(id)) {
    problems.push(knowledgeProblem(at('id'), `id "${id}" may only hold letters, digits, ., _ and - (max 64)`, `编号「${id}」只能包含字母、数字、点、下划线和连字符（最多 64 个）`));
  }
  const questions = splitList(cell('questions'), /\r?\n|\|/u);
  if (questions.length === 0) problems.push(knowledgeProblem(at('questions'), 'needs at least one question', '至少需要一个问题'));
  const answer = cell('answer');
  if (answer === '') problems.push(knowledgeProblem(at('answer'), 'answer is empty', '答案不能为空'));
  const langText = cell('lang');
  const lang = langText === '' ? detectLang(`${questions.join(' ')} ${answer}`) : LANG_VALUES.get(langText.toLowerCase());
  if (lang === undefined) problems.push(knowledgeProblem(at('lang'), `lang "${langText}" must be zh or en`, `语言「${langText}」必须是 zh 或 en`));
  if (problems.length > 0 || lang === undefined) return { problems };
  return {
    line: row.line, id, lang, questions, answer,
    category: cell('category'),
    tags: splitList(cell('tags'), /[,，|]/u),
    skillGroup: cell('skill_group'),
  };
}

function entryOf(row: FaqRow, file: string, folderCategory: string[]): KbEntry {
  return {
    id: row.id,
    category: row.category !== '' ? splitCategory(row.category) : folderCategory,
    title: { [row.lang]: row.questions[0] },
    questions: { [row.lang]: row.questions },
    answer: { [row.lang]: row.answer },
    tags: row.tags,
    skillGroup: row.skillGroup,
    media: [],
    source: { file, line: row.line },
  };
}

/** A second-language row may leave category and skill group empty, but not contradict the first. */
function mergeConflicts(row: FaqRow, first: FaqRow, sameLangLine: number | undefined, file: string): KnowledgeProblem[] {
  if (sameLangLine !== undefined) {
    return [knowledgeProblem({ file, line: row.line, field: 'id' }, `id "${row.id}" already has a ${row.lang} row (line ${sameLangLine})`, `编号「${row.id}」的${LANG_NAMES[row.lang]}内容已在第 ${sameLangLine} 行`)];
  }
  const problems: KnowledgeProblem[] = [];
  const check = (field: 'category' | 'skill_group', mine: string, theirs: string) => {
    if (mine === '' || theirs === '' || mine === theirs) return;
    problems.push(knowledgeProblem({ file, line: row.line, field }, `${field} "${mine}" differs from "${theirs}" on line ${first.line} for the same id`, `与第 ${first.line} 行同一编号的值「${theirs}」不一致`));
  };
  check('category', row.category, first.category);
  check('skill_group', row.skillGroup, first.skillGroup);
  return problems;
}

/** Adds a row's language to its entry; `shared` keeps the id's category and skill group so far. */
function addLanguage(entry: KbEntry, row: FaqRow, shared: FaqRow): void {
  entry.title[row.lang] = row.questions[0];
  entry.questions[row.lang] = row.questions;
  entry.answer[row.lang] = row.answer;
  entry.tags = [...new Set([...entry.tags, ...row.tags])];
  if (shared.category === '' && row.category !== '') {
    shared.category = row.category;
    entry.category = splitCategory(row.category);
  }
  if (shared.skillGroup === '') shared.skillGroup = entry.skillGroup = row.skillGroup;
}
