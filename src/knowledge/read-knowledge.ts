import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeProblem } from '../errors.js';
import { normalize } from '../text/normalize.js';
import { parseCsvFaq } from './csv-faq-format.js';
import type { KbEntry } from './kb-entry.js';
import { parseMarkdownArticle } from './markdown-article-format.js';
import { fallbackSkillGroups, loadSkillGroups, type SkillGroups } from './skill-groups.js';
import { parseXlsxFaq } from './xlsx-faq-format.js';
import { parseYamlFaq, type ParsedKnowledgeFile } from './yaml-faq-format.js';

export const SKILL_GROUPS_FILE = 'skill-groups.yaml';

/**
 * A reader turns one file's content into entries; the folder path gives the default category.
 * It may be async (workbooks and the article splitter are); it reports problems, never throws.
 */
export type KnowledgeFileReader = (content: Buffer, file: string, folderCategory: string[]) => ParsedKnowledgeFile | Promise<ParsedKnowledgeFile>;

const READERS: Record<string, KnowledgeFileReader> = {
  '.yaml': (content, file, category) => parseYamlFaq(content.toString('utf8'), file, category),
  '.yml': (content, file, category) => parseYamlFaq(content.toString('utf8'), file, category),
  '.csv': parseCsvFaq,
  '.xlsx': parseXlsxFaq,
  '.md': (content, file, category) => parseMarkdownArticle(content.toString('utf8'), file, category),
  '.markdown': (content, file, category) => parseMarkdownArticle(content.toString('utf8'), file, category),
};

/** Registers a reader for another file extension (CSV, XLSX, Markdown…). */
export function registerKnowledgeReader(extension: string, reader: KnowledgeFileReader): void {
  READERS[extension.toLowerCase()] = reader;
}

export interface KnowledgeReadResult {
  entries: KbEntry[];
  skillGroups: SkillGroups;
  problems: KnowledgeProblem[];
  filesRead: number;
}

/**
 * A hash of every knowledge file (path and bytes) in the folder: equal hashes mean nothing to
 * read, so an unchanged publish can stop before parsing 10,000 entries.
 */
export function knowledgeSourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const full of listFiles(root)) {
    const relative = path.relative(root, full);
    if (relative !== SKILL_GROUPS_FILE && !READERS[path.extname(full).toLowerCase()]) continue;
    hash.update(`${relative}\0`).update(readFileSync(full)).update('\0');
  }
  return hash.digest('hex').slice(0, 32);
}

function listFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'README.md') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...listFiles(full));
    else files.push(full);
  }
  return files;
}

/**
 * Reads and validates a whole knowledge folder. Nothing is thrown for content problems: every
 * problem is collected so an editor sees them all at once; callers publish only when no problem
 * is an error.
 */
export async function readKnowledge(root: string, onFile?: (file: string) => void): Promise<KnowledgeReadResult> {
  const problems: KnowledgeProblem[] = [];
  const groupsFile = path.join(root, SKILL_GROUPS_FILE);
  let skillGroups = fallbackSkillGroups();
  try {
    statSync(groupsFile);
    skillGroups = loadSkillGroups(groupsFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      problems.push({
        severity: 'error',
        file: SKILL_GROUPS_FILE,
        message: { en: (error as Error).message, zh: '技能组文件无效' },
      });
    }
  }

  const entries: KbEntry[] = [];
  let filesRead = 0;
  for (const full of listFiles(root)) {
    const relative = path.relative(root, full);
    if (relative === SKILL_GROUPS_FILE) continue;
    const reader = READERS[path.extname(full).toLowerCase()];
    if (!reader) continue;
    const folderCategory = path.dirname(relative) === '.' ? [] : path.dirname(relative).split(path.sep);
    let content: Buffer;
    try {
      content = readFileSync(full);
    } catch (error) {
      problems.push({ severity: 'error', file: relative, message: { en: `unreadable: ${(error as Error).message}`, zh: '文件无法读取' } });
      continue;
    }
    const parsed = await reader(content, relative, folderCategory);
    filesRead += 1;
    onFile?.(relative);
    problems.push(...parsed.problems);
    entries.push(...parsed.entries);
  }
  problems.push(...crossCheck(entries, skillGroups));
  const withGroups = entries.map((entry) => (entry.skillGroup === '' ? { ...entry, skillGroup: skillGroups.defaultGroup } : entry));
  return { entries: withGroups, skillGroups, problems, filesRead };
}

function crossCheck(entries: KbEntry[], skillGroups: SkillGroups): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const firstById = new Map<string, KbEntry>();
  const questionOwner = new Map<string, KbEntry>();
  for (const entry of entries) {
    const at = { file: entry.source.file, ...(entry.source.line !== undefined ? { line: entry.source.line } : {}) };
    const earlier = firstById.get(entry.id);
    if (earlier) {
      problems.push({
        severity: 'error', ...at, field: 'id',
        message: { en: `duplicate id "${entry.id}" (first in ${earlier.source.file})`, zh: `ID "${entry.id}" 重复（首次出现在 ${earlier.source.file}）` },
      });
    } else firstById.set(entry.id, entry);
    if (entry.skillGroup !== '' && !skillGroups.has(entry.skillGroup)) {
      problems.push({
        severity: 'error', ...at, field: 'skill_group',
        message: { en: `unknown skill group "${entry.skillGroup}"`, zh: `未知的技能组 "${entry.skillGroup}"` },
      });
    }
    if (entry.category.some((part) => part.length > 40 || /[\\<>]/.test(part))) {
      problems.push({
        severity: 'error', ...at, field: 'category',
        message: { en: 'category parts must be at most 40 characters without \\ < >', zh: '分类名称无效（最多 40 个字符，不能包含 \\ < >）' },
      });
    }
    for (const question of [...(entry.questions.zh ?? []), ...(entry.questions.en ?? [])]) {
      const key = normalize(question);
      const owner = questionOwner.get(key);
      if (owner && owner.id !== entry.id) {
        problems.push({
          severity: 'warning', ...at, field: 'questions',
          message: { en: `question "${question}" also belongs to entry ${owner.id}`, zh: `问题「${question}」与条目 ${owner.id} 重复` },
        });
      } else questionOwner.set(key, entry);
    }
  }
  return problems;
}
