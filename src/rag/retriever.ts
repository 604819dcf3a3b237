import type { KbEntry } from '../knowledge/kb-entry.js';
import type { KbSnapshot } from '../knowledge/kb-version.js';
import type { Embedder } from '../llm/embedder.js';
import { idf, queryVector } from '../text/bm25.js';
import { tokenize } from '../text/tokenize.js';
import type { VectorStore } from '../vector-store/vector-store.js';
import { coverageFromMasses, matchFromMasses, termMass } from './confidence.js';
import { questionTable, questionTableInBackground, sharedMassOf, type QuestionTable } from './question-table.js';

export interface RetrievedEntry {
  entry: KbEntry;
  /** The vector store's ranking score (BM25, or RRF when dense retrieval ran). */
  score: number;
  /** How well the entry's closest paraphrase matches the question, in [0, 1]. */
  confidence: number;
  /** The paraphrase that matched best. */
  matchedQuestion: string;
  retrievers: Array<'sparse' | 'dense'>;
}

export interface Retrieval {
  kbVersion: number;
  results: RetrievedEntry[];
}

export interface RetrieveOptions {
  /** Entries to return. */
  k: number;
  lang?: string;
  categoryPrefix?: string[];
}

/** How many points to fetch per entry wanted: entries have several paraphrases each. */
const POINTS_PER_ENTRY = 6;

/** Dense retrieval: the embedder of the published vectors, and what counts as a close match. */
export interface DenseRetrieval {
  embedder: Embedder;
  /** The embeddings model; versions embedded with another model are searched lexically only. */
  model: string;
  /** Cosine similarity that maps to confidence 0; 1 maps to 1. */
  minSimilarity: number;
  /** Cleans personal data out of the question before it leaves for the embeddings server. */
  redact?: ((text: string) => string) | undefined;
  onError?: (error: unknown) => void;
}

function denseConfidence(cosine: number, minSimilarity: number): number {
  return Math.max(0, Math.min(1, (cosine - minSimilarity) / (1 - minSimilarity)));
}

/** A passage that covers every term of the question is not quite a paraphrase of it. */
const PASSAGE_DISCOUNT = 0.8;

/**
 * Finds the KB entries that answer a question in one snapshot: the vector store ranks points,
 * they are folded into entries (an entry ranks as its best point), and each gets the confidence
 * the engine acts on: how closely its best paraphrase matches the question.
 */
export class Retriever {
  private readonly questionTables = new WeakMap<KbSnapshot, QuestionTable>();

  constructor(
    private readonly vectorStore: VectorStore,
    private readonly dense?: DenseRetrieval,
  ) {}

  async retrieve(snapshot: KbSnapshot, question: string, options: RetrieveOptions): Promise<Retrieval> {
    const terms = tokenize(question);
    const sparse = queryVector(terms);
    const kbVersion = snapshot.manifest.version;
    if (sparse.indices.length === 0) return { kbVersion, results: [] };
    const filter = {
      ...(options.lang !== undefined ? { lang: options.lang } : {}),
      ...(options.categoryPrefix !== undefined ? { categoryPrefix: options.categoryPrefix } : {}),
    };
    const denseQuery = await this.embedQuery(snapshot, question);
    const hits = await this.vectorStore.search(
      { sparse, ...(denseQuery ? { dense: denseQuery } : {}), limit: options.k * POINTS_PER_ENTRY, filter },
      kbVersion,
    );
    const weight = weightIn(snapshot);
    const table = this.questionTableOf(snapshot);
    const queryTerms = new Set(sparse.indices);
    const queryMass = termMass(queryTerms, weight);
    const byEntry = new Map<string, RetrievedEntry>();
    for (const hit of hits) {
      const existing = byEntry.get(hit.entryId);
      const semantic = hit.denseScore !== undefined && this.dense ? denseConfidence(hit.denseScore, this.dense.minSimilarity) : 0;
      if (existing) {
        existing.confidence = Math.max(existing.confidence, semantic);
        for (const retriever of hit.retrievers) if (!existing.retrievers.includes(retriever)) existing.retrievers.push(retriever);
        continue;
      }
      const entry = snapshot.entries.get(hit.entryId);
      if (!entry || byEntry.size >= options.k) continue;
      let confidence = semantic;
      let matchedQuestion = '';
      const slot = table.slots.get(entry.id) as number;
      const firstPassage = table.passageStart[slot] as number;
      for (let at = table.textStart[slot] as number; at < (table.textStart[slot + 1] as number); at += 1) {
        const shared = sharedMassOf(table, at, queryTerms, weight);
        // Passages only count when they cover the question well: an article is long and loose.
        const value = at >= firstPassage ? PASSAGE_DISCOUNT * coverageFromMasses(shared, queryMass) : matchFromMasses(shared, queryMass, table.masses[at] as number);
        if (value > confidence) ({ confidence, matchedQuestion } = { confidence: value, matchedQuestion: table.texts[at] as string });
      }
      byEntry.set(hit.entryId, { entry, score: hit.score, confidence, matchedQuestion, retrievers: [...hit.retrievers] });
    }
    // Ranked as the vector store ranked them: re-ranking by confidence lowered hit@1 on the
    // tuning split of the FAQ benchmark (`npm run eval`); confidence only decides whether to answer.
    return { kbVersion, results: [...byEntry.values()] };
  }

  /**
   * Readies `snapshot` before it serves: the vector store reads its index, and every entry's
   * paraphrases are cut into terms (the question table), in batches so that turns on the version
   * still serving are not held up. Otherwise the first turn on a version waits for both.
   */
  async prepare(snapshot: KbSnapshot): Promise<void> {
    await this.vectorStore.warm?.(snapshot.manifest.version);
    if (!this.questionTables.has(snapshot)) this.questionTables.set(snapshot, await questionTableInBackground(snapshot, weightIn(snapshot)));
  }

  /** The query's dense vector when this version has dense vectors; lexical only if embedding fails. */
  private async embedQuery(snapshot: KbSnapshot, question: string): Promise<number[] | undefined> {
    const model = snapshot.manifest.embeddings?.model;
    if (!this.dense || model === undefined || model !== this.dense.model) return undefined;
    try {
      return (await this.dense.embedder.embed([this.dense.redact ? this.dense.redact(question) : question]))[0];
    } catch (error) {
      this.dense.onError?.(error);
      return undefined;
    }
  }

  private questionTableOf(snapshot: KbSnapshot): QuestionTable {
    let table = this.questionTables.get(snapshot);
    if (!table) this.questionTables.set(snapshot, (table = questionTable(snapshot, weightIn(snapshot))));
    return table;
  }
}

/** A term's idf in `snapshot`. */
function weightIn(snapshot: KbSnapshot): (term: number) => number {
  return (term) => idf(snapshot.pointCount, snapshot.documentFrequency.get(term) ?? 0);
}
