/**
 * @module Our retrieval as the product runs it: the KB view is written as a CSV, published with
 * `publishKnowledge` to the embedded index, and queried through `Retriever`; the out-of-scope
 * decision is `decideTurn` with the product's intent model and thresholds.
 */
import path from 'node:path';
import { configSchema } from '../../src/config.js';
import { decideTurn, type TurnThresholds } from '../../src/conversation/turn-decision.js';
import type { IntentClassifier } from '../../src/intent/intent-classifier.js';
import { snapshotFromFile, type KbSnapshot } from '../../src/knowledge/kb-version.js';
import { publishKnowledge } from '../../src/knowledge/publish.js';
import { VersionRegistry } from '../../src/knowledge/version-registry.js';
import { matchConfidence } from '../../src/rag/confidence.js';
import { Retriever, type RetrievedEntry } from '../../src/rag/retriever.js';
import { idf, queryVector } from '../../src/text/bm25.js';
import { LANGS } from '../../src/text/lang.js';
import { termId } from '../../src/text/term-id.js';
import { tokenize } from '../../src/text/tokenize.js';
import { EmbeddedVectorStore } from '../../src/vector-store/embedded-vector-store.js';
import type { FaqEntry } from './bq-data.js';
import { topScoreProbe, type FaqSystem } from './faq-system.js';
import { writeKbCsv } from './kb-csv.js';

/** Entries the engine retrieves per turn (`RETRIEVE_K` in src/conversation/conversation-engine.ts). */
export const ENGINE_RETRIEVE_K = 5;

/** A KB published through the product's ingestion. */
export interface PublishedKb {
  snapshot: KbSnapshot;
  vectorStore: EmbeddedVectorStore;
  publishMs: number;
}

/** Writes `entries` as a CSV knowledge folder under `workDir` and publishes it to an embedded index there. */
export async function publishFaqKb(entries: FaqEntry[], workDir: string): Promise<PublishedKb> {
  const knowledgeDir = path.join(workDir, 'knowledge');
  const dataDir = path.join(workDir, 'data');
  writeKbCsv(knowledgeDir, entries);
  const registry = new VersionRegistry(dataDir);
  const vectorStore = new EmbeddedVectorStore(path.join(dataDir, 'kb', 'index'));
  const result = await publishKnowledge({ knowledgeDir, registry, vectorStore, author: 'eval' });
  return { snapshot: snapshotFromFile(registry.read(result.version)), vectorStore, publishMs: result.durationMs };
}

/** The product's turn thresholds, from the config defaults. */
export function productThresholds(): TurnThresholds {
  const config = configSchema.parse({});
  return {
    answer: config.ANSWER_CONFIDENCE_THRESHOLD,
    answerOffTopic: config.ANSWER_OFF_TOPIC_THRESHOLD,
    intent: config.INTENT_CONFIDENCE_THRESHOLD,
    handoffAfterFailedTurns: config.HANDOFF_AFTER_FAILED_TURNS,
  };
}

/**
 * Our retriever over a published KB, twice: as shipped (BM25 order; the match confidence decides
 * whether to answer) and with the raw BM25 score as the answer signal, to compare the two signals
 * for out-of-scope questions.
 */
export function ourSystems(kb: PublishedKb, classifier: IntentClassifier): [FaqSystem, FaqSystem] {
  const { snapshot, vectorStore } = kb;
  const retriever = new Retriever(vectorStore);
  const cache = new Map<string, RetrievedEntry[]>();
  const retrieve = async (query: string, k: number) => {
    const key = `${k}\u0000${query}`;
    let results = cache.get(key);
    if (!results) cache.set(key, (results = (await retriever.retrieve(snapshot, query, { k })).results));
    return results;
  };
  const thresholds = productThresholds();
  const questionTerms = new Map<string, Array<Set<number>>>();
  const termsOf = (id: string) => {
    let terms = questionTerms.get(id);
    const entry = snapshot.entries.get(id);
    if (!terms && entry) {
      const texts = LANGS.flatMap((lang) => [...(entry.questions[lang] ?? []), ...(entry.title[lang] !== undefined ? [entry.title[lang]] : [])]);
      questionTerms.set(id, (terms = [...new Set(texts)].map((text) => new Set(tokenize(text).map(termId)))));
    }
    return terms ?? [];
  };
  const weight = (term: number) => idf(snapshot.pointCount, snapshot.documentFrequency.get(term) ?? 0);
  // Confidence and BM25 of just the candidates, computed the way the retriever computes them.
  const keyCache = new Map<string, Array<{ bm25: number; confidence: number }>>();
  const keys = async (query: string, ids: string[]) => {
    const cacheKey = `${query}\u0000${ids.join(',')}`;
    const cached = keyCache.get(cacheKey);
    if (cached) return cached;
    const sparse = queryVector(tokenize(query));
    const hits = sparse.indices.length === 0 ? [] : await vectorStore.search({ sparse, limit: snapshot.pointCount }, snapshot.manifest.version);
    const bm25 = new Map<string, number>();
    for (const hit of hits) bm25.set(hit.entryId, Math.max(bm25.get(hit.entryId) ?? 0, hit.score));
    const queryTerms = new Set(sparse.indices);
    const result = ids.map((id) => ({ bm25: bm25.get(id) ?? 0, confidence: Math.max(0, ...termsOf(id).map((terms) => matchConfidence(queryTerms, terms, weight))) }));
    keyCache.set(cacheKey, result);
    return result;
  };
  const probe = async (query: string) => {
    const [intent, results] = await Promise.all([classifier.classify(query), retrieve(query, ENGINE_RETRIEVE_K)]);
    const best = results[0];
    return {
      score: best?.confidence ?? 0,
      answerAt(threshold: number) {
        // Only the answer threshold moves; an off-topic message never gets a lower bar than that.
        const tuned = { ...thresholds, answer: threshold, answerOffTopic: Math.max(thresholds.answerOffTopic, threshold) };
        const decision = decideTurn(intent, best, 0, tuned);
        return decision.kind === 'answer' ? decision.entry.entry.id : undefined;
      },
    };
  };
  const ours: FaqSystem = {
    name: 'ours (as shipped: BM25 order, confidence decides)',
    productThreshold: thresholds.answer,
    search: async (query, k) => (await retrieve(query, k)).map((result) => ({ id: result.entry.id, score: result.confidence })),
    candidateKeys: async (query, ids) => (await keys(query, ids)).map((key) => [key.bm25]),
    probe,
  };
  const bm25Order: FaqSystem = {
    name: 'ours, raw BM25 score as the answer signal',
    search: async (query, k) => [...(await retrieve(query, k))].sort((a, b) => b.score - a.score).map((result) => ({ id: result.entry.id, score: result.score })),
    candidateKeys: async (query, ids) => (await keys(query, ids)).map((key) => [key.bm25]),
    probe: async (query) => topScoreProbe(await bm25Order.search(query, ENGINE_RETRIEVE_K)),
  };
  return [ours, bm25Order];
}
