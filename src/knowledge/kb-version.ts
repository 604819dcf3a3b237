import { z } from 'zod';
import type { KbEntry } from './kb-entry.js';

const localized = z.object({ zh: z.string().optional(), en: z.string().optional() });

export const kbEntryRecordSchema = z.object({
  id: z.string(),
  category: z.array(z.string()),
  title: localized,
  questions: z.object({ zh: z.array(z.string()).optional(), en: z.array(z.string()).optional() }),
  answer: localized,
  tags: z.array(z.string()),
  skillGroup: z.string(),
  media: z.array(z.string()),
  chunks: z.array(z.string()).optional(),
  source: z.object({ file: z.string(), line: z.number().optional() }),
});

export const kbManifestSchema = z.object({
  version: z.number().int().positive(),
  createdAt: z.string(),
  author: z.string(),
  contentHash: z.string(),
  entryCount: z.number().int(),
  changes: z.object({ added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()) }),
  /** Hash of the source files it was read from (with the embeddings model): an unchanged publish stops there. */
  sourceHash: z.string().optional(),
  /** Set when the version carries dense vectors: queries must be embedded with the same model. */
  embeddings: z.object({ model: z.string(), dimensions: z.number().int().positive() }).optional(),
});

export const kbVersionFileSchema = z.object({
  manifest: kbManifestSchema,
  entries: z.array(kbEntryRecordSchema),
  /** Per-entry content hashes, so the next publish can tell what changed. */
  entryHashes: z.record(z.string(), z.string()),
  /** Point count and document frequency per term id, to turn retrieval scores into confidence. */
  termStats: z.object({ points: z.number().int(), df: z.array(z.tuple([z.number(), z.number()])) }),
  skillGroups: z.array(z.object({ id: z.string(), name: localized, description: localized.optional() })),
  defaultSkillGroup: z.string(),
});

export type KbManifest = z.output<typeof kbManifestSchema>;
export type KbVersionFile = z.output<typeof kbVersionFileSchema>;

/** What a turn needs from one published version: entries by id and the scoring statistics. */
export interface KbSnapshot {
  manifest: KbManifest;
  entries: Map<string, KbEntry>;
  pointCount: number;
  documentFrequency: Map<number, number>;
  skillGroups: KbVersionFile['skillGroups'];
  defaultSkillGroup: string;
}

export function snapshotFromFile(file: KbVersionFile): KbSnapshot {
  return {
    manifest: file.manifest,
    entries: new Map(file.entries.map((entry) => [entry.id, entry as KbEntry])),
    pointCount: file.termStats.points,
    documentFrequency: new Map(file.termStats.df),
    skillGroups: file.skillGroups,
    defaultSkillGroup: file.defaultSkillGroup,
  };
}
