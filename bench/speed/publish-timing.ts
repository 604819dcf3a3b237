import { publishKnowledge } from '../../src/knowledge/publish.js';
import { VersionRegistry } from '../../src/knowledge/version-registry.js';
import { EmbeddedVectorStore } from '../../src/vector-store/embedded-vector-store.js';
import { embeddedIndexDir } from '../../src/vector-store/open-vector-store.js';

/** Publish times of one KB: a first publish and an unchanged re-publish. */
export interface PublishTiming {
  entries: number;
  firstMs: number;
  firstStatus: string;
  unchangedMs: number;
  unchangedStatus: string;
}

/**
 * Publishes `knowledgeDir` into `dataDir` twice with the product's `publishKnowledge`, as
 * `npm run ingest` does: the first run builds version 1, the second finds nothing changed. The
 * first includes loading the Chinese segmenter, as a fresh ingest process would.
 */
export async function timePublish(knowledgeDir: string, dataDir: string): Promise<PublishTiming> {
  const publish = async () => {
    const started = performance.now();
    const result = await publishKnowledge({
      knowledgeDir,
      registry: new VersionRegistry(dataDir),
      vectorStore: new EmbeddedVectorStore(embeddedIndexDir(dataDir)),
      author: 'bench',
    });
    return { ms: performance.now() - started, status: result.status, entries: result.entryCount };
  };
  const first = await publish();
  const unchanged = await publish();
  return { entries: first.entries, firstMs: first.ms, firstStatus: first.status, unchangedMs: unchanged.ms, unchangedStatus: unchanged.status };
}
