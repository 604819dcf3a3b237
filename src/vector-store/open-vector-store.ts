import path from 'node:path';
import { EmbeddedVectorStore } from './embedded-vector-store.js';
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

/** Qdrant when `qdrantUrl` is set (its client loaded only then), otherwise the embedded index under the data folder. */
export async function openVectorStore(settings: VectorStoreSettings): Promise<{ store: VectorStore; engine: 'qdrant' | 'embedded' }> {
  if (settings.qdrantUrl !== undefined) {
    const { QdrantVectorStore } = await import('./qdrant-vector-store.js');
    return {
      engine: 'qdrant',
      store: new QdrantVectorStore({ url: settings.qdrantUrl, apiKey: settings.qdrantApiKey, prefix: settings.qdrantCollectionPrefix }),
    };
  }
  return { engine: 'embedded', store: new EmbeddedVectorStore(embeddedIndexDir(settings.dataDir)) };
}
