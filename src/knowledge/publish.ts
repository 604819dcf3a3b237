import { KnowledgeValidationError, type KnowledgeProblem } from '../errors.js';
import type { VectorStore } from '../vector-store/vector-store.js';
import type { Embedder } from '../llm/embedder.js';
import { EmbeddingCache } from './embedding-cache.js';
import { contentHash, diffEntries, entryHash, type EntryChanges } from './entry-hash.js';
import { buildIndexPoints } from './index-points.js';
import { nearDuplicateWarnings } from './near-duplicates.js';
import { knowledgeSourceHash, readKnowledge } from './read-knowledge.js';
import type { KbManifest } from './kb-version.js';
import type { VersionRegistry } from './version-registry.js';

export interface PublishProgress {
  stage: 'read' | 'index' | 'embed' | 'write' | 'switch';
  done: number;
  total: number;
}

export interface PublishOptions {
  knowledgeDir: string;
  registry: VersionRegistry;
  vectorStore: VectorStore;
  author: string;
  /** Compute and report the diff, write nothing. */
  dryRun?: boolean;
  /** Dense embeddings for hybrid retrieval; without one the index is sparse only. */
  embeddings?: { embedder: Embedder; model: string; dataDir: string };
  /** Versions to keep besides the live one; older ones are deleted. */
  retain?: number;
  now?: () => Date;
  onProgress?: (progress: PublishProgress) => void;
}

export interface PublishResult {
  status: 'published' | 'unchanged' | 'dry-run';
  /** The version now live (or that would be created, for a dry run). */
  version: number;
  previousVersion: number | undefined;
  contentHash: string;
  entryCount: number;
  changes: EntryChanges;
  warnings: KnowledgeProblem[];
  deletedVersions: number[];
  /** Texts sent to the embeddings server (the others came from the cache). */
  embedded?: number;
  durationMs: number;
}

/**
 * Validates the knowledge folder and publishes it as a new immutable version: nothing is written
 * when any file has an error, unchanged content is a no-op, and the live pointer moves only after
 * the new version is completely written.
 */
export async function publishKnowledge(options: PublishOptions): Promise<PublishResult> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const sourceHash = `${knowledgeSourceHash(options.knowledgeDir)}${options.embeddings ? `:${options.embeddings.model}` : ''}`;
  const liveVersion = await options.vectorStore.liveVersion();
  const live = liveVersion !== undefined ? safeRead(options.registry, liveVersion) : undefined;
  if (live && live.manifest.sourceHash === sourceHash && sameEmbeddings(live.manifest, options.embeddings)) {
    const { version, contentHash: hash, entryCount } = live.manifest;
    return {
      status: 'unchanged', version, previousVersion: version, contentHash: hash, entryCount,
      changes: { added: [], changed: [], removed: [] }, warnings: [], deletedVersions: [], durationMs: performance.now() - started,
    };
  }
  const read = await readKnowledge(options.knowledgeDir, (done, total) => options.onProgress?.({ stage: 'read', done, total }));
  const errors = read.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new KnowledgeValidationError(`${errors.length} error(s) in ${options.knowledgeDir}; nothing was published`, read.problems);
  }
  // Near-duplicate questions across entries: worth a warning, but only worth computing when
  // something is published (it is the slowest check on a large KB).
  const warnings = [...read.problems.filter((problem) => problem.severity === 'warning'), ...nearDuplicateWarnings(read.entries)];
  const hashes = Object.fromEntries(read.entries.map((entry) => [entry.id, entryHash(entry)]));
  // A new embeddings model changes the index even when the text did not change.
  const hash = contentHash(options.embeddings ? { ...hashes, '#embeddings': options.embeddings.model } : hashes);

  const changes = diffEntries(live?.entryHashes ?? {}, hashes);
  const base = { previousVersion: liveVersion, contentHash: hash, entryCount: read.entries.length, changes, warnings, deletedVersions: [] };
  if (live && live.manifest.contentHash === hash && sameEmbeddings(live.manifest, options.embeddings)) {
    return { ...base, status: 'unchanged', version: live.manifest.version, durationMs: performance.now() - started };
  }
  // Never rebuild the live version: its registry file may be gone (a wiped or another data folder).
  const next = options.registry.nextVersion();
  const version = liveVersion !== undefined && liveVersion >= next ? liveVersion + 1 : next;
  if (options.dryRun) return { ...base, status: 'dry-run', version, durationMs: performance.now() - started };

  options.onProgress?.({ stage: 'index', done: 0, total: read.entries.length });
  const build = buildIndexPoints(read.entries);
  options.onProgress?.({ stage: 'index', done: read.entries.length, total: read.entries.length });
  let denseSize: number | undefined;
  let embedded = 0;
  if (options.embeddings) {
    const { embedder, model, dataDir } = options.embeddings;
    options.onProgress?.({ stage: 'embed', done: 0, total: build.texts.length });
    const result = await new EmbeddingCache(dataDir, model).embedAll(build.texts, embedder, (done, total) => options.onProgress?.({ stage: 'embed', done, total }));
    build.points.forEach((point, at) => {
      const vector = result.vectors[at];
      if (vector) point.dense = vector;
    });
    denseSize = result.vectors[0]?.length;
    embedded = result.embedded;
  }
  options.onProgress?.({ stage: 'write', done: 0, total: build.points.length });
  await options.vectorStore.createVersion(version, build.points, denseSize !== undefined ? { denseSize } : {});
  options.onProgress?.({ stage: 'write', done: build.points.length, total: build.points.length });
  options.registry.write({
    manifest: {
      sourceHash, version, createdAt: now().toISOString(), author: options.author, contentHash: hash, entryCount: read.entries.length, changes,
      ...(options.embeddings && denseSize !== undefined ? { embeddings: { model: options.embeddings.model, dimensions: denseSize } } : {}),
    },
    entries: read.entries,
    entryHashes: hashes,
    termStats: build.termStats,
    skillGroups: read.skillGroups.groups,
    defaultSkillGroup: read.skillGroups.defaultGroup,
  });
  await options.vectorStore.setLive(version);
  options.onProgress?.({ stage: 'switch', done: 1, total: 1 });
  const deletedVersions = await pruneVersions(options, version);
  return { ...base, status: 'published', version, deletedVersions, embedded, durationMs: performance.now() - started };
}

/**
 * Whether a version was embedded as these embeddings would embed it now: the same model (already
 * in the source hash) and, when the embedder knows its vector length, the same dimensions.
 */
function sameEmbeddings(manifest: KbManifest, embeddings: PublishOptions['embeddings']): boolean {
  const dimensions = embeddings?.embedder.dimensions;
  return dimensions === undefined || manifest.embeddings === undefined || manifest.embeddings.dimensions === dimensions;
}

function safeRead(registry: VersionRegistry, version: number) {
  try {
    return registry.read(version);
  } catch {
    // A corrupt live version must not block the publish that repairs it.
    return undefined;
  }
}

async function pruneVersions(options: PublishOptions, live: number): Promise<number[]> {
  const retain = options.retain ?? 10;
  const older = options.registry.versions().filter((version) => version !== live);
  const doomed = older.slice(0, Math.max(0, older.length - retain));
  for (const version of doomed) {
    await options.vectorStore.deleteVersion(version);
    options.registry.remove(version);
  }
  return doomed;
}

/** Makes an earlier version live again; the version must still exist in the registry and the store. */
export async function rollbackKnowledge(registry: VersionRegistry, vectorStore: VectorStore, version: number): Promise<void> {
  registry.read(version);
  await vectorStore.setLive(version);
}
