import type { KbEntry } from '../knowledge/kb-entry.js';
import type { KbSnapshot } from '../knowledge/kb-version.js';
import type { Embedder } from '../llm/embedder.js';
import { idf, queryVector } from '../text/bm25.js';
import { LANGS } from '../text/lang.js';
import { termId } from '../text/term-id.js';
import { tokenize } from '../text/tokenize.js';
import type { VectorStore } from '../vector-store/vector-store.js';
import { coverageFromMasses, matchFromMasses, sharedMass, termMass } from './confidence.js';

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

/** Entries prepared between yields to the event loop: a few milliseconds' work. */
const PREPARE_BATCH = 500;

/** A passage that covers every term of the question is not quite a paraphrase of it. */
const PASSAGE_DISCOUNT = 0.8;

/**
 * An entry's paraphrases (and passages) with their unique term ids, packed in one typed array per
 * entry: a cache of Sets per paraphrase held about 1 KB each and grew to tens of MB on a large KB.
 */
interface QuestionTerms {
  texts: string[];
  /** Passages are scored by coverage, paraphrases by match. */
  passages: number;
  /** `terms.subarray(offsets[i], offsets[i + 1])` are the unique term ids of `texts[i]`. */
  offsets: Uint32Array;
  terms: Uint32Array;
  /** The idf-weighted size of each text, which does not depend on the question. */
  masses: Float64Array;
}

/**
 * Finds the KB entries that answer a question in one snapshot: the vector store ranks points,
 * they are folded into entries (an entry ranks as its best point), and each gets the confidence
 * the engine acts on: how closely its best paraphrase matches the question.
 */
export class Retriever {
  private readonly questionCache = new WeakMap<KbSnapshot, Map<string, QuestionTerms>>();
  private readonly weightCache = new WeakMap<KbSnapshot, (term: number) => number>();

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
    const weight = this.weightOf(snapshot);
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
      const questions = this.questionsOf(snapshot, entry, weight);
      const firstPassage = questions.texts.length - questions.passages;
      questions.texts.forEach((text, at) => {
        const shared = sharedMass(queryTerms, questions.terms.subarray(questions.offsets[at], questions.offsets[at + 1]), weight);
        // Passages only count when they cover the question well: an article is long and loose.
        const value = at >= firstPassage ? PASSAGE_DISCOUNT * coverageFromMasses(shared, queryMass) : matchFromMasses(shared, queryMass, questions.masses[at] as number);
        if (value > confidence) ({ confidence, matchedQuestion } = { confidence: value, matchedQuestion: text });
      });
      byEntry.set(hit.entryId, { entry, score: hit.score, confidence, matchedQuestion, retrievers: [...hit.retrievers] });
    }
    // Ranked as the vector store ranked them: re-ranking by confidence lowered hit@1 on the
    // tuning split of the FAQ benchmark (`npm run eval`); confidence only decides whether to answer.
    return { kbVersion, results: [...byEntry.values()] };
  }

  /**
   * Readies `snapshot` before it serves: the vector store reads its index, and every entry's
   * paraphrases are cut into terms, which a turn would otherwise do for each entry it meets
   * first (on the 10,000-entry bench KB, 40 µs of a 0.9 ms turn while most entries are new, and
   * the first turn after a start waited for the index). Yields between batches, so turns on the
   * version still serving are not held up.
   */
  async prepare(snapshot: KbSnapshot): Promise<void> {
    await this.vectorStore.warm?.(snapshot.manifest.version);
    const weight = this.weightOf(snapshot);
    let done = 0;
    for (const entry of snapshot.entries.values()) {
      this.questionsOf(snapshot, entry, weight);
      done += 1;
      if (done % PREPARE_BATCH === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
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

  /** A term's idf in `snapshot`, each worked out once: a turn weighs the terms of up to 30 paraphrases. */
  private weightOf(snapshot: KbSnapshot): (term: number) => number {
    let weight = this.weightCache.get(snapshot);
    if (!weight) {
      // Only the KB's own terms are kept, so customers' new words cannot grow it without end.
      const known = new Map<number, number>();
      const unseen = idf(snapshot.pointCount, 0);
      weight = (term: number) => {
        let value = known.get(term);
        if (value === undefined) {
          const frequency = snapshot.documentFrequency.get(term);
          if (frequency === undefined) return unseen;
          value = idf(snapshot.pointCount, frequency);
          known.set(term, value);
        }
        return value;
      };
      this.weightCache.set(snapshot, weight);
    }
    return weight;
  }

  private questionsOf(snapshot: KbSnapshot, entry: KbEntry, weight: (term: number) => number): QuestionTerms {
    let cache = this.questionCache.get(snapshot);
    if (!cache) this.questionCache.set(snapshot, (cache = new Map()));
    let questions = cache.get(entry.id);
    if (!questions) {
      const paraphrases = [...new Set(LANGS.flatMap((lang) => [...(entry.questions[lang] ?? []), ...(entry.title[lang] !== undefined ? [entry.title[lang]] : [])]))];
      const texts = [...paraphrases, ...(entry.chunks ?? [])];
      const termLists = texts.map((text) => [...new Set(tokenize(text).map(termId))]);
      const offsets = new Uint32Array(texts.length + 1);
      termLists.forEach((list, at) => (offsets[at + 1] = (offsets[at] as number) + list.length));
      const terms = Uint32Array.from(termLists.flat());
      const masses = Float64Array.from(termLists, (_list, at) => termMass(terms.subarray(offsets[at], offsets[at + 1]), weight));
      questions = { texts, passages: texts.length - paraphrases.length, offsets, terms, masses };
      cache.set(entry.id, questions);
    }
    return questions;
  }
}
