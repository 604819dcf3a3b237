import { describe, expect, it } from 'vitest';
import { parseSkillGroups } from './skill-groups.js';

/** A file with a valid first group and `second` written as given. */
const file = (second: string) => ['default: first', 'groups:', '  - id: first', '    name: { zh: 一线, en: First line }', second].join('\n');
const parse = (text: string) => parseSkillGroups(text, 'skill-groups.yaml');

describe('skill-group names', () => {
  it('keeps both names of a group', () => {
    const groups = parse(file('  - id: second\n    name: { zh: 二线, en: Second line }'));
    expect(groups.get('second')?.name).toEqual({ zh: '二线', en: 'Second line' });
  });

  it.each([
    ['no names at all', '  - id: vip\n    name: {}', /^skill-groups\.yaml: groups\.1\.name\.zh: the name in Chinese is required \(group "vip"\)$/],
    ['only a Chinese name', '  - id: vip\n    name: { zh: VIP 专属客服 }', /^skill-groups\.yaml: groups\.1\.name\.en: the name in English is required \(group "vip"\)$/],
    ['only an English name', '  - id: vip\n    name: { en: VIP service }', /groups\.1\.name\.zh: the name in Chinese is required \(group "vip"\)/],
    ['a blank English name', '  - id: vip\n    name: { zh: VIP 专属客服, en: "  " }', /groups\.1\.name\.en: the name in English must not be empty \(group "vip"\)/],
    ['a name that is one string', '  - id: vip\n    name: VIP', /groups\.1\.name: needs names in Chinese and English.*\(group "vip"\)/],
    ['no name key', '  - id: vip', /groups\.1\.name: needs names in Chinese and English.*\(group "vip"\)/],
  ])('rejects %s, naming the group and the field', (_label, second, message) => {
    expect(() => parse(file(second))).toThrow(message);
  });

  it('names the field alone when the group has no usable id', () => {
    expect(() => parse(file('  - name: { zh: 二线 }'))).toThrow(/^skill-groups\.yaml: groups\.1\.id: .*[^)]$/);
  });
});
