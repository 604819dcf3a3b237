import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKnowledge } from './read-knowledge.js';

function kb(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kefu-kb-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

const GROUPS = 'default: general\ngroups:\n  - id: general\n    name: { zh: 客服, en: Support }\n  - id: after-sales\n    name: { zh: 售后, en: After-sales }\n';

const entry = (id: string, question: string, extra = '') =>
  `  - id: ${id}\n    questions:\n      zh: [${question}]\n    answer:\n      zh: 答案${extra}\n`;

describe('readKnowledge', () => {
  it('reads the sample knowledge base without problems', async () => {
    const result = await readKnowledge(path.resolve('knowledge'));
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(result.entries.length).toBeGreaterThanOrEqual(60);
    const categories = new Set(result.entries.map((item) => item.category[0]));
    expect(categories).toEqual(new Set(['产品', '服务', '售后']));
    for (const item of result.entries) {
      expect(item.questions.zh?.length ?? 0).toBeGreaterThanOrEqual(3);
      expect(item.questions.en?.length ?? 0).toBeGreaterThanOrEqual(3);
      expect(item.answer.zh && item.answer.en).toBeTruthy();
      expect(result.skillGroups.has(item.skillGroup)).toBe(true);
    }
    expect(result.skillGroups.groups.map((group) => group.id).sort()).toEqual(['after-sales', 'orders', 'presales', 'tech-support', 'vip']);
  });

  it('takes the category from the folders and the skill group from the file', async () => {
    const root = kb({ 'skill-groups.yaml': GROUPS, '售后/退换货/faq.yaml': `skill_group: after-sales\nentries:\n${entry('r1', '怎么退货')}` });
    const result = await readKnowledge(root);
    expect(result.problems).toEqual([]);
    expect(result.entries[0]).toMatchObject({ id: 'r1', category: ['售后', '退换货'], skillGroup: 'after-sales', title: { zh: '怎么退货' } });
  });

  it('reports every problem with file, line and field, in English and Chinese', async () => {
    const root = kb({
      'skill-groups.yaml': GROUPS,
      'a/faq.yaml': `entries:\n${entry('dup', '问题一')}${entry('dup', '问题二')}  - id: empty\n    questions:\n      zh: [问题三]\n    answer:\n      zh: ""\n`,
      'b/faq.yaml': `skill_group: nobody\nentries:\n${entry('b1', '问题四')}`,
      'c/faq.yaml': 'entries: [\n',
    });
    const result = await readKnowledge(root);
    const errors = result.problems.filter((problem) => problem.severity === 'error');
    const find = (field: string) => errors.find((problem) => problem.field === field);
    expect(find('id')).toMatchObject({ file: path.join('a', 'faq.yaml'), line: 7, message: { en: expect.stringMatching(/duplicate id "dup"/), zh: expect.stringMatching(/重复/) } });
    expect(find('answer.zh')).toMatchObject({ file: path.join('a', 'faq.yaml'), line: 16, message: { zh: '不能为空' } });
    expect(find('skill_group')).toMatchObject({ file: path.join('b', 'faq.yaml'), message: { en: 'unknown skill group "nobody"' } });
    expect(errors.find((problem) => problem.file === path.join('c', 'faq.yaml'))?.message.en).toMatch(/not valid YAML/);
  });

  it('warns about the same question in two entries', async () => {
    const root = kb({ 'skill-groups.yaml': GROUPS, 'a/faq.yaml': `entries:\n${entry('one', '怎么退货')}${entry('two', '怎么退货？')}` });
    const warnings = (await readKnowledge(root)).problems.filter((problem) => problem.severity === 'warning');
    expect(warnings[0]?.message.en).toMatch(/also belongs to entry one/);
  });

  it('rejects bad categories, naming the entry\'s file, line and field', async () => {
    const long = '分'.repeat(41);
    const root = kb({ 'skill-groups.yaml': GROUPS, 'a/faq.yaml': `entries:\n${entry('c1', '问题一')}    category: 售后/<b>\n${entry('c2', '问题二')}    category: ${long}\n${entry('c3', '问题三')}` });
    const result = await readKnowledge(root);
    const bad = result.problems.filter((problem) => problem.field === 'category');
    expect(bad.map((problem) => [problem.severity, problem.file, problem.line])).toEqual([['error', path.join('a', 'faq.yaml'), 2], ['error', path.join('a', 'faq.yaml'), 8]]);
    expect(bad[0]?.message).toEqual({ en: expect.stringMatching(/at most 40 characters without/), zh: expect.stringMatching(/分类名称无效/) });
    expect(result.entries.find((item) => item.id === 'c3')?.category).toEqual(['a']);
  });

  it('reports an unreadable file and an unreadable folder as errors instead of failing', async () => {
    const root = kb({ 'skill-groups.yaml': GROUPS, 'a/faq.yaml': `entries:\n${entry('ok', '问题一')}` });
    symlinkSync(path.join(root, 'missing.csv'), path.join(root, 'a', 'broken.csv'));
    symlinkSync(path.join(root, 'missing-folder'), path.join(root, 'gone'));
    const result = await readKnowledge(root);
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([
      { severity: 'error', file: path.join('a', 'broken.csv'), message: { en: expect.stringMatching(/^unreadable: ENOENT/), zh: '文件或文件夹无法读取' } },
      { severity: 'error', file: 'gone', message: { en: expect.stringMatching(/^unreadable: ENOENT/), zh: '文件或文件夹无法读取' } },
    ]);
    expect(result.entries.map((item) => item.id)).toEqual(['ok']);
  });

  it('rejects a missing folder and a folder without entries, so a wrong KNOWLEDGE_DIR never empties the live KB', async () => {
    const missing = path.join(kb({}), 'nowhere');
    const gone = await readKnowledge(missing);
    expect(gone.problems).toEqual([{ severity: 'error', file: missing, message: { en: expect.stringMatching(/knowledge folder does not exist/), zh: expect.stringMatching(/知识库文件夹不存在/) } }]);
    const empty = await readKnowledge(kb({ 'notes.txt': 'not knowledge' }));
    expect(empty.problems).toEqual([{ severity: 'error', file: '.', message: { en: expect.stringMatching(/^no entries found/), zh: expect.stringMatching(/^没有找到任何条目/) } }]);
  });

  it('reports reading progress as files read of files to read', async () => {
    const root = kb({ 'skill-groups.yaml': GROUPS, 'a/faq.yaml': `entries:\n${entry('a1', '问题一')}`, 'b/faq.csv': 'id,questions,answer\nb1,问题二,答案\n', 'notes.txt': 'skipped' });
    const seen: Array<[number, number]> = [];
    await readKnowledge(root, (done, total) => seen.push([done, total]));
    expect(seen).toEqual([[0, 2], [1, 2], [2, 2]]);
  });
});
