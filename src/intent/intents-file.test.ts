import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTENTS } from './intent-classifier.js';
import { intentExamples, loadIntentsFile, parseIntentsFile } from './intents-file.js';

const INTENTS_PATH = new URL('../../prompts/intents.yaml', import.meta.url).pathname;

function validFile(): string {
  return ['version: 1', 'intents:']
    .concat(
      INTENTS.flatMap((intent) => [
        `  ${intent}:`,
        `    description: ${intent}`,
        '    examples:',
        `      zh: [${intent} 中文]`,
        `      en: [${intent} english]`,
      ]),
    )
    .join('\n');
}

describe('intents file', () => {
  it('ships at least 40 Chinese and 40 English examples for every intent', () => {
    const file = loadIntentsFile(INTENTS_PATH);
    for (const intent of INTENTS) {
      expect(file.intents[intent].description.length).toBeGreaterThan(0);
      expect(file.intents[intent].examples.zh.length).toBeGreaterThanOrEqual(40);
      expect(file.intents[intent].examples.en.length).toBeGreaterThanOrEqual(40);
    }
  });

  it('has no example under two intents', () => {
    const seen = new Map<string, string>();
    for (const { text, intent } of intentExamples(loadIntentsFile(INTENTS_PATH))) {
      const key = text.toLowerCase();
      const other = seen.get(key);
      if (other !== undefined && other !== intent) throw new Error(`"${text}" is both ${other} and ${intent}`);
      seen.set(key, intent);
    }
  });

  it('parses a minimal valid file and flattens it in order', () => {
    const file = parseIntentsFile(validFile(), 'intents.yaml');
    const examples = intentExamples(file);
    expect(examples).toHaveLength(INTENTS.length * 2);
    expect(examples[0]).toEqual({ text: 'greeting 中文', intent: 'greeting', lang: 'zh' });
    expect(examples[1]).toEqual({ text: 'greeting english', intent: 'greeting', lang: 'en' });
  });

  it('reads numbers as text ("88" means bye)', () => {
    const file = parseIntentsFile(validFile().replace('[goodbye 中文]', '[88, 886]'), 'intents.yaml');
    expect(file.intents.goodbye.examples.zh).toEqual(['88', '886']);
  });

  it('names the file, the field and the line of a bad example', () => {
    const content = validFile().replace('[thanks english]', "['  ']");
    expect(() => parseIntentsFile(content, 'prompts/intents.yaml')).toThrow(
      /^prompts\/intents\.yaml:\d+: intents\.thanks\.examples\.en\.0: must not be empty$/,
    );
  });

  it('names a missing intent and an unknown field', () => {
    const withoutFaq = validFile().replace(/ {2}faq:\n(?: {4}.*\n)+/u, '');
    expect(() => parseIntentsFile(withoutFaq, 'x.yaml')).toThrow(/intents\.faq/);
    const withTypo = validFile().replace('    description: thanks', '    descripton: thanks');
    expect(() => parseIntentsFile(withTypo, 'x.yaml')).toThrow(/intents\.thanks/);
    const badVersion = validFile().replace('version: 1', 'version: 2');
    expect(() => parseIntentsFile(badVersion, 'x.yaml')).toThrow(/x\.yaml:1: version/);
  });

  it('reports invalid YAML and reads from disk', () => {
    expect(() => parseIntentsFile('intents: [unclosed', 'broken.yaml')).toThrow(/^broken\.yaml:\d+: not valid YAML/);
    const folder = mkdtempSync(join(tmpdir(), 'intents-'));
    const path = join(folder, 'intents.yaml');
    writeFileSync(path, validFile().replace('[human_request english]', '[]'));
    expect(() => loadIntentsFile(path)).toThrow(`${path}:`);
    expect(() => loadIntentsFile(path)).toThrow(/intents\.human_request\.examples\.en: needs at least one example/);
  });
});
