/**
 * @module Prompt templates live in `prompts/` as Markdown with YAML front matter
 * (`version`, `description`) and mustache `{{variables}}`, filled with LangChain's
 * `PromptTemplate`. Values are inserted verbatim and never re-parsed, so braces in customer
 * text or KB passages are harmless. Each prompt is a system + user pair.
 *
 * @example
 * const prompts = await loadPromptTemplates(config.PROMPTS_DIR);
 * const messages = await renderPrompt(prompts.answer, { user: { question, … } });
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PromptTemplate } from '@langchain/core/prompts';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { ChatMessage } from './chat-model.js';

export type PromptName = 'answer' | 'rewrite' | 'classify' | 'summary';

/** The variables the code fills in each template; a template must use exactly these. */
export const PROMPT_VARIABLES = {
  answer: { system: [], user: ['answer_language', 'history', 'passages', 'question'] },
  rewrite: { system: [], user: ['history', 'message'] },
  classify: { system: [], user: ['message'] },
  summary: { system: [], user: ['reason', 'summary_language', 'transcript'] },
} as const satisfies Record<PromptName, { system: readonly string[]; user: readonly string[] }>;

export interface PromptPair<Name extends PromptName = PromptName> {
  name: Name;
  /** `version` of the user template's front matter, for logs. */
  version: number;
  system: PromptTemplate;
  user: PromptTemplate;
}

export type PromptTemplates = { [Name in PromptName]: PromptPair<Name> };

/** A template file is missing, has bad front matter, or uses other variables than the code fills. */
export class PromptTemplateError extends AppError {
  constructor(file: string, problem: string, options?: { cause?: unknown }) {
    super('prompt_template_invalid', `${file}: ${problem}`, 500, options);
  }
}

const frontMatterSchema = z.object({ version: z.number().int().min(1), description: z.string().optional() });

/** Reads and checks every template in `dir` (e.g. `./prompts`); fails fast naming the file. */
export async function loadPromptTemplates(dir: string): Promise<PromptTemplates> {
  const names = Object.keys(PROMPT_VARIABLES) as PromptName[];
  const pairs = await Promise.all(names.map((name) => loadPair(dir, name)));
  return Object.fromEntries(pairs.map((pair) => [pair.name, pair])) as PromptTemplates;
}

async function loadPair<Name extends PromptName>(dir: string, name: Name): Promise<PromptPair<Name>> {
  const system = await loadTemplate(path.join(dir, `${name}.system.md`), PROMPT_VARIABLES[name].system);
  const user = await loadTemplate(path.join(dir, `${name}.user.md`), PROMPT_VARIABLES[name].user);
  return { name, version: user.version, system: system.template, user: user.template };
}

async function loadTemplate(file: string, expected: readonly string[]): Promise<{ version: number; template: PromptTemplate }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PromptTemplateError(file, 'cannot read the template', { cause: error });
  }
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!match) throw new PromptTemplateError(file, 'missing front matter (--- version: N ---)');
  let meta: unknown;
  try {
    meta = parseYaml(match[1] ?? '');
  } catch (error) {
    throw new PromptTemplateError(file, 'front matter is not valid YAML', { cause: error });
  }
  const front = frontMatterSchema.safeParse(meta);
  if (!front.success) throw new PromptTemplateError(file, `bad front matter: ${front.error.issues.map((issue) => issue.message).join('; ')}`);
  // LangChain is loaded with the first template, so a server without a model never loads it.
  const { PromptTemplate: Template } = await import('@langchain/core/prompts');
  const template = Template.fromTemplate(text.slice(match[0].length).trim(), { templateFormat: 'mustache' });
  const used = [...template.inputVariables].sort();
  if (used.join(',') !== [...expected].sort().join(',')) {
    throw new PromptTemplateError(file, `uses variables [${used.join(', ')}], the code fills [${expected.join(', ')}]`);
  }
  return { version: front.data.version, template };
}

type UserValues<Name extends PromptName> = Record<(typeof PROMPT_VARIABLES)[Name]['user'][number], string>;

/**
 * Fills a prompt pair into `[system, user]` chat messages. System templates take no variables
 * by design: they never carry customer text and stay byte-identical across requests.
 */
export async function renderPrompt<Name extends PromptName>(pair: PromptPair<Name>, user: UserValues<Name>): Promise<ChatMessage[]> {
  return [
    { role: 'system', content: await pair.system.format({}) },
    { role: 'user', content: await pair.user.format(user) },
  ];
}
