import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { KnowledgeProblem } from '../errors.js';
import { normalize } from '../text/normalize.js';
import { parseCsvFaq } from './csv-faq-format.js';
import type { KbEntry } from './kb-entry.js';
import { parseMarkdownArticle } from './markdown-article-format.js';
import { CANNED_RESPONSES_FILE } from './canned-responses.js';
import { fallbackSkillGroups, loadSkillGroups, type SkillGroups } from './skill-groups.js';
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
  // The workbook library is large: loaded only when a KB holds a workbook.
  '.xlsx': async (content, file, category) => (await import('./xlsx-faq-format.js')).parseXlsxFaq(content, file, category),
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
 * read, so an unchanged publish can stop before parsing 10,000 entries. A file or folder that
 * cannot be read changes the hash, so the publish goes on to report it.
 */
export function knowledgeSourceHash(root: string): string {
  const hash = createHash('sha256');
  const { files, unreadable } = listFiles(root);
  for (const full of files) {
    const relative = path.relative(root, full);
    if (relative !== SKILL_GROUPS_FILE && !READERS[path.extname(full).toLowerCase()]) continue;
    let content: Buffer;
    try {
      content = readFileSync(full);
    } catch {
      hash.update(`${relative}\0unreadable\0`);
      continue;
    }
    hash.update(`${relative}\0`).update(content).update('\0');
  }
  for (const { file } of unreadable) hash.update(`${path.relative(root, file)}\0unreadable\0`);
  return hash.digest('hex').slice(0, 32);
}

interface FileListing {
  files: string[];
  /** Folders that could not be listed and entries that could not be examined (broken links…). */
  unreadable: Array<{ file: string; error: Error }>;
}

function listFiles(dir: string, listing: FileListing = { files: [], unreadable: [] }): FileListing {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (error) {
    listing.unreadable.push({ file: dir, error: error as Error });
    return listing;
  }
  for (const name of names) {
    if (name.startsWith('.') || name === 'README.md') continue;
    const full = path.join(dir, name);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(full).isDirectory();
    } catch (error) {
      listing.unreadable.push({ file: full, error: error as Error });
      continue;
    }
    if (isDirectory) listFiles(full, listing);
    else listing.files.push(full);
  }
  return listing;
}

/**
 * Reads and validates a whole knowledge folder. Nothing is thrown for content problems: every
 * problem is collected so an editor sees them all at once; callers publish only when no problem
 * is an error.
 */
export async function readKnowledge(root: string, onProgress?: (filesRead: number, filesTotal: number) => void): Promise<KnowledgeReadResult> {
  const problems: KnowledgeProblem[] = [];
  const { files, unreadable } = listFiles(root);
  for (const { file, error } of unreadable) {
    const code = (error as NodeJS.ErrnoException).code;
    if (file === root) {
      const missing = code === 'ENOENT' || code === 'ENOTDIR';
      problems.push({
        severity: 'error',
        file: root,
        message: missing
          ? { en: 'the knowledge folder does not exist (check KNOWLEDGE_DIR or --dir)', zh: '知识库文件夹不存在（请检查 KNOWLEDGE_DIR 或 --dir）' }
          : { en: `the knowledge folder is unreadable: ${error.message}`, zh: '知识库文件夹无法读取' },
      });
      return { entries: [], skillGroups: fallbackSkillGroups(), problems, filesRead: 0 };
    }
    problems.push({ severity: 'error', file: path.relative(root, file), message: { en: `unreadable: ${error.message}`, zh: '文件或文件夹无法读取' } });
  }
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
  // The canned responses are for agents, not answers: the KB never reads them.
  const knowledgeFiles = files.filter((full) => path.relative(root, full) !== SKILL_GROUPS_FILE && path.relative(root, full) !== CANNED_RESPONSES_FILE && READERS[path.extname(full).toLowerCase()] !== undefined);
  onProgress?.(0, knowledgeFiles.length);
  for (const [at, full] of knowledgeFiles.entries()) {
    const relative = path.relative(root, full);
    const reader = READERS[path.extname(full).toLowerCase()] as KnowledgeFileReader;
    const folderCategory = path.dirname(relative) === '.' ? [] : path.dirname(relative).split(path.sep);
    let content: Buffer;
    try {
      content = readFileSync(full);
    } catch (error) {
      problems.push({ severity: 'error', file: relative, message: { en: `unreadable: ${(error as Error).message}`, zh: '文件无法读取' } });
      onProgress?.(at + 1, knowledgeFiles.length);
      continue;
    }
    const parsed = await reader(content, relative, folderCategory);
    filesRead += 1;
    onProgress?.(at + 1, knowledgeFiles.length);
    problems.push(...parsed.problems);
    entries.push(...parsed.entries);
  }
  if (entries.length === 0 && !problems.some((problem) => problem.severity === 'error')) {
    // Publishing nothing would silently empty the live KB, usually because of a wrong folder.
    problems.push({
      severity: 'error',
      file: '.',
      message: { en: 'no entries found: add YAML, CSV, XLSX or Markdown files (see knowledge/README.md)', zh: '没有找到任何条目：请添加 YAML、CSV、XLSX 或 Markdown 文件（见 knowledge/README.md）' },
    });
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
