import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSkillGroups, parseSkillGroups } from '../knowledge/skill-groups.js';
import { HandoffDirectory } from './handoff-directory.js';

const HASH = 'scrypt$16384$8$1$AAAA$AAAA';

/** A valid file as YAML, with `extra` lines appended under the given top-level key. */
function yamlFile(parts: { groups?: string; agents?: string; routing?: string; default?: string } = {}): string {
  return [
    `default: ${parts.default ?? 'first'}`,
    'groups:',
    parts.groups ?? [
      '  - id: first',
      '    name: { zh: 一线, en: First line }',
      '    hours: { time_zone: Asia/Shanghai, days: { mon: ["09:00-18:00"], fri: ["22:00-02:00"] } }',
      '    max_chats_per_agent: 4',
      '    webhook: { url: "https://helpdesk.example/hook", secret: "${KEFU_HOOK_SECRET}" }',
      '    overflow: { after_seconds: 120, group: second }',
      '  - id: second',
      '    name: { zh: 二线, en: Second line }',
    ].join('\n'),
    'agents:',
    parts.agents ?? [
      `  - { username: ann, name: 安, groups: [first], password_hash: "${HASH}" }`,
      `  - { username: boss, name: 组长, role: lead, groups: [first], password_hash: "${HASH}" }`,
    ].join('\n'),
    'routing:',
    parts.routing ?? '  - { group: second, priority: 5, when: { intent: complaint, tags: [vip] } }',
  ].join('\n');
}

const parse = (text: string) => parseSkillGroups(text, 'skill-groups.yaml');

describe('skill-groups.yaml validation', () => {
  it('accepts the sample file shipped in knowledge/', () => {
    const groups = loadSkillGroups(path.resolve('knowledge/skill-groups.yaml'));
    expect(groups.defaultGroup).toBe('presales');
    expect(groups.file.agents.map((agent) => agent.username)).toEqual(['lead', 'xiaoli', 'xiaowang', 'xiaozhang']);
    for (const group of groups.file.groups) {
      expect(group.name.zh, group.id).toBeTruthy();
      expect(group.name.en, group.id).toBeTruthy();
    }
    // Only the public part of a group goes into a KB version.
    expect(groups.groups.every((group) => !('hours' in group) && !('webhook' in group))).toBe(true);
  });

  it('fills defaults and turns single routing values into lists', () => {
    const { file } = parse(yamlFile());
    expect(file.groups[1]).toMatchObject({ id: 'second', max_chats_per_agent: 5, sla_seconds: 300 });
    expect(file.agents[0]?.role).toBe('agent');
    expect(file.routing[0]).toMatchObject({ queue_boost: 0, when: { intent: ['complaint'], tags: ['vip'] } });
  });

  it.each([
    ['an unknown default group', yamlFile({ default: 'nobody' }), /default: unknown skill group "nobody"/],
    ['an agent in an unknown group', yamlFile({ agents: `  - { username: ann, name: 安, groups: [third], password_hash: "${HASH}" }` }), /agents\.0\.groups\.0: unknown skill group "third"/],
    ['a rule for an unknown group', yamlFile({ routing: '  - { group: third, when: { intent: complaint } }' }), /routing\.0\.group: unknown skill group "third"/],
    ['an overflow to an unknown group', yamlFile({ groups: '  - id: first\n    name: { zh: 一线, en: First line }\n    overflow: { after_seconds: 60, group: third }' }), /groups\.0\.overflow\.group: unknown skill group/],
    ['a plain password', yamlFile({ agents: '  - { username: ann, name: 安, groups: [first], password_hash: "kefu-demo-2026" }' }), /password_hash: must come from npm run agent:hash-password/],
    ['a duplicate username', yamlFile({ agents: `  - { username: ann, name: 安, groups: [first], password_hash: "${HASH}" }\n  - { username: ann, name: 安二, groups: [second], password_hash: "${HASH}" }` }), /duplicate username "ann"/],
    ['a time zone that does not exist', yamlFile({ groups: '  - id: first\n    name: { zh: 一线, en: First line }\n    hours: { time_zone: Mars/Olympus, days: {} }\n  - id: second\n    name: { zh: 二线, en: Second line }' }), /IANA time zone/],
    ['a malformed time range', yamlFile({ groups: '  - id: first\n    name: { zh: 一线, en: First line }\n    hours: { time_zone: UTC, days: { mon: ["9-18"] } }\n  - id: second\n    name: { zh: 二线, en: Second line }' }), /a range like 09:00-18:00/],
    ['an unknown routing condition', yamlFile({ routing: '  - { group: second, when: { mood: angry } }' }), /routing\.0\.when/],
    ['an unknown channel', yamlFile({ routing: '  - { group: second, when: { channel: fax } }' }), /routing\.0\.when\.channel/],
    ['a zero chat limit', yamlFile({ groups: '  - id: first\n    name: { zh: 一线, en: First line }\n    max_chats_per_agent: 0\n  - id: second\n    name: { zh: 二线, en: Second line }' }), /max_chats_per_agent/],
    ['a webhook that is not a URL', yamlFile({ groups: '  - id: first\n    name: { zh: 一线, en: First line }\n    webhook: { url: "not a url", secret: s }\n  - id: second\n    name: { zh: 二线, en: Second line }' }), /webhook\.url/],
  ])('rejects %s, naming the file and the field', (_label, text, message) => {
    expect(() => parse(text)).toThrow(/^skill-groups\.yaml: /);
    expect(() => parse(text)).toThrow(message);
  });
});

describe('HandoffDirectory', () => {
  const directory = new HandoffDirectory(parse(yamlFile()).file, { KEFU_HOOK_SECRET: 'whsec-from-env' });

  it('names groups in the customer language, and unknown ones by id', () => {
    expect(directory.groupName('first', 'zh')).toBe('一线');
    expect(directory.groupName('first', 'en')).toBe('First line');
    expect(directory.groupName('gone', 'en')).toBe('gone');
  });

  it('gives agents their groups and leads every group', () => {
    expect(directory.groupsOf('ann')).toEqual(['first']);
    expect(directory.groupsOf('boss')).toEqual(['first', 'second']);
    expect(directory.groupsOf('nobody')).toEqual([]);
    expect(directory.agentsOf('first').map((agent) => agent.username)).toEqual(['ann', 'boss']);
  });

  it('reads a webhook secret from the environment, and has none when it is unset', () => {
    expect(directory.webhook('first')).toEqual({ url: 'https://helpdesk.example/hook', secret: 'whsec-from-env' });
    expect(directory.webhook('second')).toBeUndefined();
    expect(new HandoffDirectory(directory.file, {}).webhook('first')).toBeUndefined();
  });
});
