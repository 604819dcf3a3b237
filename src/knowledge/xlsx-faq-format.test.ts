import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsvFaq } from './csv-faq-format.js';
import type { KbEntry } from './kb-entry.js';
import { parseXlsxFaq } from './xlsx-faq-format.js';

type Cell = ExcelJS.CellValue;

async function workbook(rows: Cell[][], sheetName = 'FAQ'): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  rows.forEach((row, at) => {
    row.forEach((value, column) => {
      sheet.getCell(at + 1, column + 1).value = value;
    });
  });
  // A second sheet must be ignored: only the first one is read.
  book.addWorksheet('Notes').addRow(['id', 'questions', 'answer']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const ROWS = [
  ['id', 'category', 'questions', 'answer', 'tags', 'skill_group', 'lang'],
  ['return-7day', '售后/退换货', '可以七天无理由退货吗\n买了不喜欢能退吗', '签收后 7 天内可以申请无理由退货。', '退货，七天无理由', 'after-sales', 'zh'],
  ['return-7day', '', "Can I return within 7 days?|I don't like it, can I send it back?", 'Within 7 days of delivery you can return it.', 'returns', '', 'en'],
  ['invoice', '', '怎么开发票', '在订单详情页申请电子发票。', '', '', ''],
  ['shipping-time', '服务/物流配送', '多久发货|什么时候发货', '付款后 48 小时内发货。', '发货|物流', 'orders', 'zh'],
];

const toCsv = (rows: string[][]) => rows.map((cells) => cells.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\n');
const withoutSource = (entries: KbEntry[]) => entries.map(({ source: _source, ...rest }) => rest);

describe('parseXlsxFaq', () => {
  it('gives the same entries as the CSV reader for the same rows', async () => {
    const fromXlsx = await parseXlsxFaq(await workbook(ROWS), 'faq.xlsx', ['产品']);
    const fromCsv = parseCsvFaq(Buffer.from(toCsv(ROWS)), 'faq.csv', ['产品']);
    expect(fromXlsx.problems).toEqual([]);
    expect(fromCsv.problems).toEqual([]);
    expect(fromXlsx.entries).toHaveLength(3);
    expect(withoutSource(fromXlsx.entries)).toEqual(withoutSource(fromCsv.entries));
    expect(fromXlsx.entries.map((entry) => entry.source)).toEqual([{ file: 'faq.xlsx', line: 2 }, { file: 'faq.xlsx', line: 4 }, { file: 'faq.xlsx', line: 5 }]);
  });

  it('reads numbers, rich text and formula results as the text Excel shows', async () => {
    const rows: Cell[][] = [
      ['编号', '问题', '答案', '标签'],
      [1001, { richText: [{ text: '会员' }, { text: '怎么升级', font: { bold: true } }] }, { formula: '"消费满 "&"1000 元自动升级。"', result: '消费满 1000 元自动升级。' }, 2024],
    ];
    const { entries, problems } = await parseXlsxFaq(await workbook(rows), 'vip.xlsx', []);
    expect(problems).toEqual([]);
    expect(entries[0]).toMatchObject({ id: '1001', questions: { zh: ['会员怎么升级'] }, answer: { zh: '消费满 1000 元自动升级。' }, tags: ['2024'] });
  });

  it('reports bad rows by their sheet row number, skipping empty rows', async () => {
    const rows: Cell[][] = [
      ['id', 'questions', 'answer', 'lang'],
      ['ok', '问题', '答案', 'zh'],
      [],
      ['no-answer', '问题二', '', ''],
      ['bad/id', '问题三', '答案三', ''],
      ['ok', '问题四', '答案四', 'zh'],
      ['x', '问题五', '答案五', 'de'],
    ];
    const { entries, problems } = await parseXlsxFaq(await workbook(rows), 'sheet.xlsx', []);
    expect(entries.map((entry) => entry.id)).toEqual(['ok']);
    expect(problems.map((problem) => [problem.file, problem.line, problem.field, problem.message.zh])).toEqual([
      ['sheet.xlsx', 4, 'answer', '答案不能为空'],
      ['sheet.xlsx', 5, 'id', '编号「bad/id」只能包含字母、数字、点、下划线和连字符（最多 64 个）'],
      ['sheet.xlsx', 6, 'id', '编号「ok」的中文内容已在第 2 行'],
      ['sheet.xlsx', 7, 'lang', '语言「de」必须是 zh 或 en'],
    ]);
  });

  it('reports a missing required column as a file error', async () => {
    const { entries, problems } = await parseXlsxFaq(await workbook([['id', 'answer'], ['a', '答案']]), 'a.xlsx', []);
    expect(entries).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ severity: 'error', file: 'a.xlsx', line: 1, field: 'questions' })]);
  });

  it('reports a file that is not a workbook, and skips Excel lock files', async () => {
    const corrupt = await parseXlsxFaq(Buffer.from('id,questions,answer\n'), 'faq.xlsx', []);
    expect(corrupt.entries).toEqual([]);
    expect(corrupt.problems).toEqual([expect.objectContaining({ severity: 'error', file: 'faq.xlsx', message: expect.objectContaining({ en: expect.stringMatching(/not a readable \.xlsx/) }) })]);
    expect(await parseXlsxFaq(Buffer.from([0, 1, 2]), 'a/~$faq.xlsx', [])).toEqual({ entries: [], problems: [] });
  });

  it('reports an empty sheet', async () => {
    const { problems } = await parseXlsxFaq(await workbook([]), 'empty.xlsx', []);
    expect(problems).toEqual([expect.objectContaining({ line: 1, message: { en: 'the file has no header row', zh: '文件没有表头行' } })]);
  });
});
