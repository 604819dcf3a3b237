import path from 'node:path';
import { EmbeddedVectorStore } from './embedded-vector-store.js';
import { QdrantVectorStore } from './qdrant-vector-store.js';
import type { VectorStore } from './vector-store.js';

export interface VectorStoreSettings {
  dataDir: string;
  qdrantUrl?: string | undefined;
  qdrantApiKey?: string | undefined;
  qdrantCollectionPrefix: string;
}

/** Where the embedded index keeps its files; the server and the ingest CLI share it. */
export function embeddedIndexDir(dataDir: string): string {
  return path.join(dataDir, 'kb', 'index');
}

/** Qdrant when `qdrantUrl` is set, otherwise the embedded index under the data folder. */
export function openVectorStore(settings: VectorStoreSettings): { store: VectorStore; engine: 'qdrant' | 'embedded' } {
  if (settings.qdrantUrl !== undefined) {
    return {
      engine: 'qdrant',
      store: new QdrantVectorStore({ url: settings.qdrantUrl, apiKey: settings.qdrantApiKey, prefix: settings.qdrantCollectionPrefix }),
    };
  }
  return { engine: 'embedded', store: new EmbeddedVectorStore(embeddedIndexDir(settings.dataDir)) };
}
