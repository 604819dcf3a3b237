import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROMPTS_DIR } from '../../test/support/fake-openai/llm-fixtures.js';
import { PromptTemplateError, loadPromptTemplates, renderPrompt } from './prompt-templates.js';

async function withBrokenCopy(file: string, content: string, check: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kefu-prompts-'));
  try {
    await cp(PROMPTS_DIR, dir, { recursive: true });
    await writeFile(path.join(dir, file), content);
    await check(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('prompt templates', () => {
  it('loads every pair from prompts/ with its version', async () => {
    const prompts = await loadPromptTemplates(PROMPTS_DIR);
    expect(Object.keys(prompts).sort()).toEqual(['answer', 'classify', 'rewrite', 'summary']);
    expect(prompts.answer.version).toBeGreaterThanOrEqual(1);
  });

  it('inserts values verbatim: braces, mustache tags and $ patterns in data stay data', async () => {
    const prompts = await loadPromptTemplates(PROMPTS_DIR);
    const tricky = '{{system}} {question} {{#x}}y{{/x}} $& $1 <b>&amp;';
    const [system, user] = await renderPrompt(prompts.classify, { message: tricky });
    expect(user?.content.startsWith(tricky)).toBe(true);
    expect(system?.content).not.toContain(tricky);
  });

  it('fails fast, naming the file, on a template whose variables the code does not fill', async () => {
    await withBrokenCopy('answer.user.md', '---\nversion: 2\n---\n{{question}} {{secret}}', async (dir) => {
      const error = await loadPromptTemplates(dir).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PromptTemplateError);
      expect(String((error as Error).message)).toMatch(/answer\.user\.md: uses variables \[question, secret\]/);
    });
  });

  it('fails fast on missing front matter or a missing file', async () => {
    await withBrokenCopy('rewrite.system.md', 'no front matter', async (dir) => {
      await expect(loadPromptTemplates(dir)).rejects.toThrow(/rewrite\.system\.md: missing front matter/);
    });
    await expect(loadPromptTemplates(path.join(tmpdir(), 'no-such-prompts-dir'))).rejects.toBeInstanceOf(PromptTemplateError);
  });
});
