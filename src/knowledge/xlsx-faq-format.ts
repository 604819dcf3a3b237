import path from 'node:path';
import ExcelJS from 'exceljs';
import { parseFaqSheet, type SheetRow } from './faq-sheet-rows.js';
import { knowledgeProblem } from './knowledge-problem.js';
import type { ParsedKnowledgeFile } from './yaml-faq-format.js';

/**
 * Reads a FAQ list from the first worksheet of an .xlsx workbook: the same columns and rules as
 * the CSV format, and problems name the sheet's row number as `line`.
 */
export async function parseXlsxFaq(content: Buffer, file: string, folderCategory: string[]): Promise<ParsedKnowledgeFile> {
  // Excel leaves a `~$name.xlsx` lock file beside a workbook it has open; it is not content.
  if (path.basename(file).startsWith('~$')) return { entries: [], problems: [] };
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs's typings predate Node's generic Buffer; the bytes are what it wants.
    await workbook.xlsx.load(content as unknown as ExcelJS.Buffer);
  } catch (error) {
    return fileError(file, `not a readable .xlsx workbook: ${(error as Error).message}`, '无法读取 .xlsx 工作簿（文件损坏或不是 Excel 2007+ 格式）');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return fileError(file, 'the workbook has no worksheet', '工作簿中没有工作表');
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    // `text` renders rich text, hyperlinks, formulas (their result) and numbers as shown.
    for (let column = 1; column <= row.cellCount; column += 1) cells.push(row.getCell(column).text);
    rows.push({ line: rowNumber, cells });
  });
  return parseFaqSheet(rows, file, folderCategory);
}

function fileError(file: string, en: string, zh: string): ParsedKnowledgeFile {
  return { entries: [], problems: [knowledgeProblem({ file }, en, zh)] };
}
