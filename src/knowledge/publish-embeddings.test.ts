import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../../test/support/fake-openai/index.js';
import { OpenAiEmbedder } from '../llm/openai-embedder.js';
import { redactPii } from '../llm/pii-redaction.js';
import { Retriever } from '../rag/retriever.js';
import { EmbeddedVectorStore } from '../vector-store/embedded-vector-store.js';
import { snapshotFromFile } from './kb-version.js';
import { publishKnowledge } from './publish.js';
import { VersionRegistry } from './version-registry.js';

let fake: FakeOpenAi;
let root: string;

beforeAll(async () => {
  fake = await startFakeOpenAi({ embeddingDimension: 32 });
  root = mkdtempSync(path.join(tmpdir(), 'kefu-embed-'));
  cpSync(path.resolve('knowledge/服务/发票'), path.join(root, 'kb', '服务', '发票'), { recursive: true });
  cpSync(path.resolve('knowledge/skill-groups.yaml'), path.join(root, 'kb', 'skill-groups.yaml'));
});
afterAll(async () => {
  await fake?.close();
  rmSync(root, { recursive: true, force: true });
});

function setup(dimensions?: number) {
  const dataDir = path.join(root, 'data');
  const embedder = new OpenAiEmbedder({ baseURL: fake.baseURL, model: 'test-embed', dimensions });
  return {
    dataDir,
    registry: new VersionRegistry(dataDir),
    vectorStore: new EmbeddedVectorStore(path.join(dataDir, 'index')),
    embeddings: { embedder, model: 'test-embed', dataDir },
  };
}

describe('publishing with embeddings', () => {
  it('adds dense vectors, records the model, and embeds only new or changed texts', async () => {
    const { registry, vectorStore, embeddings } = setup();
    const knowledgeDir = path.join(root, 'kb');
    const first = await publishKnowledge({ knowledgeDir, registry, vectorStore, embeddings, author: 'test' });
    expect(first.status).toBe('published');
    expect(first.embedded).toBeGreaterThan(20);
    const version = registry.read(first.version);
    expect(version.manifest.embeddings).toEqual({ model: 'test-embed', dimensions: 32 });

    const again = await publishKnowledge({ knowledgeDir, registry, vectorStore, embeddings, author: 'test' });
    expect(again.status).toBe('unchanged');

    const file = path.join(knowledgeDir, '服务', '发票', 'faq.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(\n {6}zh:\n)( {8}- )/, '$1$2电子发票能开公司抬头吗\n$2'));
    const requestsBefore = fake.embeddingRequests().length;
    const changed = await publishKnowledge({ knowledgeDir, registry, vectorStore, embeddings, author: 'test' });
    expect(changed.status).toBe('published');
    expect(changed.embedded).toBe(1);
    expect(fake.embeddingRequests().length).toBe(requestsBefore + 1);
    expect(fake.invalidRequests).toEqual([]);

    const retriever = new Retriever(vectorStore, { embedder: embeddings.embedder, model: 'test-embed', minSimilarity: 0.5 });
    const snapshot = snapshotFromFile(registry.read(changed.version));
    const result = await retriever.retrieve(snapshot, '发票可以开公司抬头吗', { k: 3 });
    expect(result.results[0]?.retrievers).toContain('dense');
    expect(result.results[0]?.entry.category).toEqual(['服务', '发票']);

    // With redaction on, the customer's phone number never reaches the embeddings server.
    const embedded: string[] = [];
    const redacting = new Retriever(vectorStore, {
      embedder: {
        embed: (texts) => {
          embedded.push(...texts);
          return embeddings.embedder.embed(texts);
        },
      },
      model: 'test-embed', minSimilarity: 0.5, redact: redactPii,
    });
    await redacting.retrieve(snapshot, '发票寄到哪，我电话13812345678', { k: 3 });
    expect(embedded).toEqual(['发票寄到哪，我电话[手机号]']);
  });

  it('fails on a dimension mismatch and leaves the live version serving', async () => {
    const { registry, vectorStore, embeddings } = setup(16);
    const live = await vectorStore.liveVersion();
    const file = path.join(root, 'kb', '服务', '发票', 'faq.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('电子发票能开公司抬头吗', '发票抬头可以写公司吗'));
    await expect(publishKnowledge({ knowledgeDir: path.join(root, 'kb'), registry, vectorStore, embeddings, author: 'test' })).rejects.toThrow(/dimension/i);
    expect(await vectorStore.liveVersion()).toBe(live);
  });

  it('recovers when the server\'s vectors change length: the cache is re-embedded, never mixed', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'kefu-embed-dims-'));
    try {
      const knowledgeDir = path.join(own, 'kb');
      cpSync(path.join(root, 'kb'), knowledgeDir, { recursive: true });
      const dataDir = path.join(own, 'data');
      const registry = new VersionRegistry(dataDir);
      const vectorStore = new EmbeddedVectorStore(path.join(dataDir, 'index'));
      const embeddingsOf = (dimensions?: number) => ({ embedder: new OpenAiEmbedder({ baseURL: fake.baseURL, model: 'test-embed', dimensions, requestDimensions: dimensions !== undefined }), model: 'test-embed', dataDir });
      const first = await publishKnowledge({ knowledgeDir, registry, vectorStore, embeddings: embeddingsOf(), author: 'test' });
      expect(registry.read(first.version).manifest.embeddings).toEqual({ model: 'test-embed', dimensions: 32 });

      // The same model name now answers with 16 values (another `dimensions`, another model behind the name).
      fake.embeddingDimension = 16;
      const file = path.join(knowledgeDir, '服务', '发票', 'faq.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/(\n {6}zh:\n)( {8}- )/, '$1$2增值税专用发票怎么申请\n$2'));
      const changed = await publishKnowledge({ knowledgeDir, registry, vectorStore, embeddings: embeddingsOf(), author: 'test' });
      expect(changed).toMatchObject({ status: 'published', version: first.version + 1, embedded: first.embedded! + 1 });
      expect(registry.read(changed.version).manifest.embeddings).toEqual({ model: 'test-embed', dimensions: 16 });

      // Configured dimensions that differ from the live version's: a rebuild even though no text changed.
      fake.embeddingDimension = 32;
      const resized = await publishKnowledge({ knowledgeDir, registry, vectorStore, embeddings: embeddingsOf(24), author: 'test' });
      expect(resized).toMatchObject({ status: 'published', version: changed.version + 1, changes: { added: [], changed: [], removed: [] } });
      expect(registry.read(resized.version).manifest.embeddings).toEqual({ model: 'test-embed', dimensions: 24 });
      const again = await publishKnowledge({ knowledgeDir, registry, vectorStore, embeddings: embeddingsOf(24), author: 'test' });
      expect(again).toMatchObject({ status: 'unchanged', version: resized.version });
      expect(fake.invalidRequests).toEqual([]);
    } finally {
      fake.embeddingDimension = 32;
      rmSync(own, { recursive: true, force: true });
    }
  });
});
