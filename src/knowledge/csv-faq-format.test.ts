import { describe, expect, it } from 'vitest';
import { parseCsvFaq } from './csv-faq-format.js';

const csv = (lines: string[], eol = '\n') => Buffer.from(lines.join(eol), 'utf8');
const HEADER = 'id,category,questions,answer,tags,skill_group,lang';

const SAMPLE_ROWS = [
  ['id', 'category', 'questions', 'answer', 'tags', 'skill_group', 'lang'],
  ['return-7day', '售后/退换货', '可以七天无理由退货吗\n买了不喜欢能退吗', '签收后 7 天内可以申请无理由退货。', '退货，七天无理由', 'after-sales', 'zh'],
  ['return-7day', '', "Can I return within 7 days?|I don't like it, can I send it back?", 'Within 7 days of delivery you can return it.', 'returns', '', 'en'],
  ['invoice', '', '怎么开发票', '在订单详情页申请电子发票。', '', '', ''],
];

const toCsvLine = (cells: string[]) => cells.map((cell) => (/[",\n|]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',');

describe('parseCsvFaq', () => {
  it('reads rows, merges the languages of one id and defaults category and language', () => {
    const { entries, problems } = parseCsvFaq(csv(SAMPLE_ROWS.map(toCsvLine)), 'faq.csv', ['服务']);
    expect(problems).toEqual([]);
    expect(entries).toEqual([
      {
        id: 'return-7day',
        category: ['售后', '退换货'],
        title: { zh: '可以七天无理由退货吗', en: 'Can I return within 7 days?' },
        questions: { zh: ['可以七天无理由退货吗', '买了不喜欢能退吗'], en: ['Can I return within 7 days?', "I don't like it, can I send it back?"] },
        answer: { zh: '签收后 7 天内可以申请无理由退货。', en: 'Within 7 days of delivery you can return it.' },
        tags: ['退货', '七天无理由', 'returns'],
        skillGroup: 'after-sales',
        media: [],
        source: { file: 'faq.csv', line: 2 },
      },
      {
        id: 'invoice', category: ['服务'], title: { zh: '怎么开发票' }, questions: { zh: ['怎么开发票'] }, answer: { zh: '在订单详情页申请电子发票。' },
        tags: [], skillGroup: '', media: [], source: { file: 'faq.csv', line: 5 },
      },
    ]);
  });

  it('accepts a BOM, Chinese headers in any order, CRLF line ends and only the required columns', () => {
    const content = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(['答案,问题,编号', '在“我的订单”里查看。,订单在哪看,orders-where', 'See "My orders".,Where are my orders?,orders-where'], '\r\n')]);
    const { entries, problems } = parseCsvFaq(content, 'a.csv', []);
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id: 'orders-where', questions: { zh: ['订单在哪看'], en: ['Where are my orders?'] }, answer: { en: 'See "My orders".' }, source: { line: 2 } });
  });

  it('accepts headers in any case and a semicolon delimiter', () => {
    const { entries, problems } = parseCsvFaq(csv(['ID;Questions;Answer;Lang', 'pay-1;How do I pay?;By card, or PayPal.;EN']), 'a.csv', []);
    expect(problems).toEqual([]);
    expect(entries[0]).toMatchObject({ id: 'pay-1', answer: { en: 'By card, or PayPal.' } });
  });

  it('reports every bad row with its starting line, the column and both languages', () => {
    const { entries, problems } = parseCsvFaq(csv([
      HEADER,
      'ok-1,售后,"问题一\n问题一的另一种问法\n第三种",答案一,,,',
      'empty-answer,,问题二,,,,',
      '"bad id",,问题三,答案三,,,',
      ',,问题四,答案四,,,',
      'no-question,,,答案五,,,',
      'bad-lang,,问题六,答案六,,,fr',
      'ok-1,,问题七,答案七,,,zh',
      'ok-1,其他,Question eight,Answer eight,,,en',
      '',
      'ok-2,,问题九,答案九,,,',
    ]), 'faq/问答.csv', []);
    expect(entries.map((entry) => entry.id)).toEqual(['ok-1', 'ok-2']);
    const at = (line: number) => problems.find((problem) => problem.line === line);
    expect(at(5)).toMatchObject({ severity: 'error', file: 'faq/问答.csv', field: 'answer', message: { en: 'answer is empty', zh: '答案不能为空' } });
    expect(at(6)).toMatchObject({ field: 'id', message: { en: expect.stringMatching(/id "bad id" may only hold/), zh: expect.stringMatching(/编号「bad id」/) } });
    expect(at(7)).toMatchObject({ field: 'id', message: { zh: '编号不能为空' } });
    expect(at(8)).toMatchObject({ field: 'questions', message: { zh: '至少需要一个问题' } });
    expect(at(9)).toMatchObject({ field: 'lang', message: { en: 'lang "fr" must be zh or en' } });
    expect(at(10)).toMatchObject({ field: 'id', message: { en: 'id "ok-1" already has a zh row (line 2)', zh: '编号「ok-1」的中文内容已在第 2 行' } });
    expect(at(11)).toMatchObject({ field: 'category', message: { en: 'category "其他" differs from "售后" on line 2 for the same id' } });
    expect(problems).toHaveLength(7);
  });

  it('reports a missing required column once, for the whole file, on the header line', () => {
    const { entries, problems } = parseCsvFaq(csv(['id,questions,tags', 'a,问题,标签']), 'a.csv', []);
    expect(entries).toEqual([]);
    expect(problems).toEqual([
      { severity: 'error', file: 'a.csv', line: 1, field: 'answer', message: { en: 'required column "answer" is missing (header: answer / 答案)', zh: '缺少必填列「answer」（表头：answer / 答案）' } },
    ]);
  });

  it('warns about unknown columns, rejects repeated ones', () => {
    const unknown = parseCsvFaq(csv(['id,questions,answer,remark', 'a,问题,答案,备注']), 'a.csv', []);
    expect(unknown.entries).toHaveLength(1);
    expect(unknown.problems).toEqual([expect.objectContaining({ severity: 'warning', line: 1, field: 'remark' })]);
    const repeated = parseCsvFaq(csv(['id,questions,answer,问题', 'a,问题,答案,问题']), 'a.csv', []);
    expect(repeated.problems).toEqual([expect.objectContaining({ severity: 'error', field: 'questions', message: expect.objectContaining({ en: 'column "questions" appears twice' }) })]);
  });

  it('rejects files that are not UTF-8, not CSV or empty', () => {
    // "问题" in GBK, as Excel's plain CSV export on Chinese Windows writes it.
    const gbk = Buffer.concat([Buffer.from('id,questions,answer\na,'), Buffer.from([0xce, 0xca, 0xcc, 0xe2]), Buffer.from(',x\n')]);
    expect(parseCsvFaq(gbk, 'gbk.csv', []).problems).toEqual([
      expect.objectContaining({ file: 'gbk.csv', line: 1, message: expect.objectContaining({ en: expect.stringMatching(/not UTF-8/), zh: expect.stringMatching(/UTF-8/) }) }),
    ]);
    const unclosed = parseCsvFaq(csv([HEADER, 'a,,"问题,答案', '']), 'q.csv', []);
    expect(unclosed.problems).toEqual([expect.objectContaining({ line: 2, message: expect.objectContaining({ en: expect.stringMatching(/not valid CSV/) }) })]);
    expect(parseCsvFaq(Buffer.from('\n\n'), 'e.csv', []).problems).toEqual([expect.objectContaining({ line: 1, message: { en: 'the file has no header row', zh: '文件没有表头行' } })]);
  });
});
