import { parse } from 'csv-parse/sync';
import { parseFaqSheet, type SheetRow } from './faq-sheet-rows.js';
import { knowledgeProblem } from './knowledge-problem.js';
import type { ParsedKnowledgeFile } from './yaml-faq-format.js';

/**
 * @module Reads a FAQ list saved as CSV (UTF-8, with or without BOM), one entry language per row.
 *
 * @example
 * id,category,questions,answer,tags,skill_group,lang
 * return-7day,售后/退换货,可以七天无理由退货吗|买了不喜欢能退吗,签收后 7 天内可以申请…,退货,after-sales,zh
 */

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * Parses a CSV FAQ file; every problem names the file, the line the row starts on (header = 1)
 * and the column. A file that is not UTF-8 or not valid CSV is one file-level error.
 */
export function parseCsvFaq(content: Buffer, file: string, folderCategory: string[]): ParsedKnowledgeFile {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    // Excel's plain "CSV" export is GBK on Chinese Windows; say how to get UTF-8 instead.
    return fileError(file, 1, 'not UTF-8 text: save the sheet as "CSV UTF-8"', '文件不是 UTF-8 编码：请在 Excel 中另存为「CSV UTF-8（逗号分隔）」');
  }
  // csv-parse counts lines wrongly when it guesses "\r" as the record delimiter of a CRLF file.
  text = text.replace(/^\ufeff/u, '').replace(/\r\n?/gu, '\n');
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // Hand-typed cells like `See "My orders".` are common, hence relax_quotes.
    // With `info`, csv-parse returns `{ record, info }` objects; its typings only know plain rows.
    records = parse(text, { delimiter: guessDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false, info: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return fileError(file, line ?? 1, `not valid CSV: ${(error as Error).message}`, 'CSV 格式错误（请检查引号是否成对）');
  }
  const rows: SheetRow[] = [];
  let nextLine = 1;
  for (const { record, info } of records) {
    // A quoted cell may span lines: the row is where it starts, i.e. right after the previous one.
    rows.push({ line: nextLine, cells: record });
    nextLine = info.lines + 1;
  }
  return parseFaqSheet(rows, file, folderCategory);
}

/** The delimiter used most in the header line: Excel writes `;` in locales with a decimal comma. */
function guessDelimiter(text: string): string {
  const header = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const count = (delimiter: string) => header.split(delimiter).length - 1;
  return DELIMITERS.reduce((best, delimiter) => (count(delimiter) > count(best) ? delimiter : best), ',');
}

function fileError(file: string, line: number, en: string, zh: string): ParsedKnowledgeFile {
  return { entries: [], problems: [knowledgeProblem({ file, line }, en, zh)] };
}
