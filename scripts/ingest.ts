import { userInfo } from 'node:os';
import { SingleBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { loadConfig } from '../src/config.js';
import { AppError, KnowledgeValidationError, ValidationError } from '../src/errors.js';
import { diffEntries } from '../src/knowledge/entry-hash.js';
import { formatProblem } from '../src/knowledge/format-problems.js';
import { publishKnowledge, rollbackKnowledge, type PublishProgress, type PublishResult } from '../src/knowledge/publish.js';
import { VersionRegistry } from '../src/knowledge/version-registry.js';
import { resolveLlmSettings } from '../src/llm/llm-config.js';
import { OpenAiEmbedder } from '../src/llm/openai-embedder.js';
import { openVectorStore } from '../src/vector-store/open-vector-store.js';

const config = loadConfig();
const registry = new VersionRegistry(config.DATA_DIR);
const { store: vectorStore } = await openVectorStore({
  dataDir: config.DATA_DIR,
  qdrantUrl: config.QDRANT_URL,
  qdrantApiKey: config.QDRANT_API_KEY,
  qdrantCollectionPrefix: config.QDRANT_COLLECTION_PREFIX,
});
const llm = resolveLlmSettings(config);
const embeddings = llm.embeddings && config.EMBEDDINGS_MODEL !== undefined
  ? { embedder: new OpenAiEmbedder(llm.embeddings), model: config.EMBEDDINGS_MODEL, dataDir: config.DATA_DIR }
  : undefined;
const out = (line = '') => process.stdout.write(`${line}\n`);

function table(rows: Array<Record<string, string | number>>): void {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0] as object);
  const width = (key: string) => Math.max(key.length, ...rows.map((row) => String(row[key]).length));
  const line = (cells: string[]) => cells.map((cell, at) => cell.padEnd(width(keys[at] as string))).join('  ');
  out(line(keys));
  out(line(keys.map((key) => '-'.repeat(width(key)))));
  for (const row of rows) out(line(keys.map((key) => String(row[key]))));
}

function printResult(result: PublishResult, json: boolean): void {
  if (json) {
    out(JSON.stringify(result));
    return;
  }
  for (const warning of result.warnings) out(formatProblem(warning));
  if (result.status === 'unchanged') out(`Nothing changed: version ${result.version} is live and identical (content ${result.contentHash}).`);
  table([{
    version: result.version,
    status: result.status,
    entries: result.entryCount,
    added: result.changes.added.length,
    changed: result.changes.changed.length,
    removed: result.changes.removed.length,
    embedded: result.embedded ?? 0,
    seconds: (result.durationMs / 1000).toFixed(2),
  }]);
  if (result.status === 'dry-run') {
    for (const [kind, ids] of Object.entries(result.changes)) if (ids.length > 0) out(`${kind}: ${ids.join(', ')}`);
    out('Dry run: nothing was written.');
  }
  if (result.deletedVersions.length > 0) out(`Deleted old versions: ${result.deletedVersions.join(', ')}`);
}

/** A whole number of at least `min` from the command line, or a clear error. */
function count(text: string, what: string, min = 1): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min) throw new ValidationError(`${what} must be a whole number of at least ${min}, not "${text}"`, 'bad_argument');
  return value;
}

const STAGE_LABELS: Record<PublishProgress['stage'], string> = {
  read: 'files read',
  index: 'entries indexed',
  embed: 'texts embedded',
  write: 'points written',
  switch: 'live version switched',
};

/** One bar per publish stage (files read, texts embedded, points written…), each ended when done. */
function progressBars() {
  let bar: SingleBar | undefined;
  let current: PublishProgress['stage'] | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
    current = undefined;
  };
  const update = ({ stage, done, total }: PublishProgress) => {
    if (total === 0) return;
    if (stage !== current) {
      stop();
      bar = new SingleBar({ format: `{bar} {value}/{total} ${STAGE_LABELS[stage]}`, hideCursor: true }, Presets.shades_classic);
      bar.start(total, done);
      current = stage;
    } else bar?.update(done);
    if (done >= total) stop();
  };
  return { update, stop };
}

const program = new Command('ingest').description('Validate and publish the knowledge base (KNOWLEDGE_DIR) as a new version.');
program.enablePositionalOptions();

program
  .option('--dir <folder>', 'knowledge folder', config.KNOWLEDGE_DIR)
  .option('--dry-run', 'show what would change, write nothing', false)
  .option('--json', 'print a machine-readable result', false)
  .option('--author <name>', 'recorded in the version', process.env.USER ?? userInfo().username)
  .option('--retain <n>', 'old versions to keep', '10')
  .action(async (options: { dir: string; dryRun: boolean; json: boolean; author: string; retain: string }) => {
    const retain = count(options.retain, '--retain', 0);
    // The bars go to stderr (cli-progress's default), so stdout stays clean for the summary or the JSON.
    const progress = options.json || !process.stderr.isTTY ? undefined : progressBars();
    const result = await publishKnowledge({
      knowledgeDir: options.dir, registry, vectorStore, author: options.author, dryRun: options.dryRun, retain,
      ...(embeddings ? { embeddings } : {}),
      ...(progress ? { onProgress: progress.update } : {}),
    }).finally(() => progress?.stop());
    printResult(result, options.json);
  });

program.command('list').description('list published versions').option('--json', 'machine-readable', false).action(async (options: { json: boolean }) => {
  const live = await vectorStore.liveVersion();
  const rows = registry.manifests().map((manifest) =>
    'corrupt' in manifest
      ? { version: manifest.version, live: manifest.version === live ? '*' : '', time: 'corrupt', author: '', hash: '', entries: '' }
      : { version: manifest.version, live: manifest.version === live ? '*' : '', time: manifest.createdAt, author: manifest.author, hash: manifest.contentHash, entries: manifest.entryCount },
  );
  if (options.json) out(JSON.stringify({ live, versions: rows }));
  else if (rows.length === 0) out('No version published yet.');
  else table(rows);
});

program.command('diff <a> <b>').description('entries added, changed and removed from version A to B').action((a: string, b: string) => {
  const changes = diffEntries(registry.read(count(a, 'version A')).entryHashes, registry.read(count(b, 'version B')).entryHashes);
  for (const [kind, ids] of Object.entries(changes)) out(`${kind} (${ids.length}): ${ids.join(', ')}`);
});

program.command('rollback <version>').description('make an earlier version live again').action(async (version: string) => {
  await rollbackKnowledge(registry, vectorStore, count(version, 'version'));
  out(`Version ${version} is live.`);
});

program.parseAsync().catch((error: unknown) => {
  if (error instanceof KnowledgeValidationError) {
    for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    process.stderr.write(`${error.message}\n`);
  } else if (error instanceof AppError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`ingest failed: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
