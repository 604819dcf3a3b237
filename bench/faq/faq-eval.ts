/**
 * @module The FAQ-retrieval benchmark: every system on the same published KB view, ranking on
 * the whole KB, filtered hit@1 against confirmed-wrong entries, and the out-of-scope variant
 * whose threshold is tuned on train and applied unchanged to test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IntentClassifier } from '../../src/intent/intent-classifier.js';
import { tuneThreshold } from '../lib/threshold.js';
import type { FaqEntry, FaqSplit } from './bq-data.js';
import { charBm25System } from './char-bm25.js';
import type { AnswerProbe, FaqSystem } from './faq-system.js';
import { miniSearchSystem } from './minisearch-system.js';
import { oosMetrics, type OosMetrics } from './oos-metrics.js';
import { oramaSystem } from './orama-system.js';
import { ourSystems, publishFaqKb } from './our-retrieval.js';
import { goldWins, rankingMetrics, rankOf, type RankingMetrics } from './ranking-metrics.js';

/** Results are ranked this deep: hit@5 and MRR@10 are read from the top 10. */
export const RANK_DEPTH = 10;

/** One system on one split. */
export interface FaqSystemResult {
  system: string;
  split: 'train' | 'test';
  ranking: RankingMetrics;
  /** MRR over the whole ranking, for systems that rank everything (the floor). */
  mrrFullRanking?: number;
  filteredHitAt1: number;
  filteredQueries: number;
  /** At the threshold tuned on train (on train itself, that is the tuning result). */
  oosTuned: OosMetrics;
  /** At the product's shipped threshold, for systems that have one. */
  oosProduct?: OosMetrics;
}

/** What the FAQ benchmark returns. */
export interface FaqEvaluation {
  results: FaqSystemResult[];
  /** Time to publish the KB views through our ingestion, per split. */
  publishMs: Record<string, { kb: number; kbInScope: number; entries: number }>;
}

async function buildSystems(entries: FaqEntry[], workDir: string, classifier: IntentClassifier) {
  const published = await publishFaqKb(entries, workDir);
  const systems: FaqSystem[] = [...ourSystems(published, classifier), miniSearchSystem(entries), await oramaSystem(entries), charBm25System(entries)];
  return { systems, publishMs: published.publishMs };
}

/** Runs the benchmark on train (tuning) then test (reporting), in a temporary folder. */
export async function evaluateFaq(splits: { train: FaqSplit; test: FaqSplit }, classifier: IntentClassifier): Promise<FaqEvaluation> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'kefu-eval-faq-'));
  const results: FaqSystemResult[] = [];
  const publishMs: FaqEvaluation['publishMs'] = {};
  const tuned = new Map<string, number>();
  try {
    for (const split of ['train', 'test'] as const) {
      const data = splits[split];
      const whole = await buildSystems(data.kb, path.join(workDir, split, 'kb'), classifier);
      const inScope = await buildSystems(data.kbInScope, path.join(workDir, split, 'kb-in-scope'), classifier);
      publishMs[split] = { kb: whole.publishMs, kbInScope: inScope.publishMs, entries: data.kb.length };
      for (const [index, system] of whole.systems.entries()) {
        const ranked = await rankSystem(system, data);
        const probes: AnswerProbe[] = [];
        const oosSystem = inScope.systems[index] as FaqSystem;
        for (const query of data.queries) probes.push(await oosSystem.probe(query.text));
        if (split === 'train') {
          const best = tuneThreshold(probes.map((probe) => probe.score), (threshold) => oosMetrics(data.queries, probes, threshold).balancedAccuracy);
          tuned.set(system.name, best.threshold);
        }
        const threshold = tuned.get(system.name) ?? 0;
        results.push({
          system: system.name,
          split,
          ...ranked,
          oosTuned: oosMetrics(data.queries, probes, threshold),
          ...(oosSystem.productThreshold !== undefined ? { oosProduct: oosMetrics(data.queries, probes, oosSystem.productThreshold) } : {}),
        });
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return { results, publishMs };
}

async function rankSystem(system: FaqSystem, data: FaqSplit) {
  const ranks = [];
  const fullRanks = [];
  let filteredHits = 0;
  let filteredQueries = 0;
  for (const query of data.queries) {
    const ranked = await system.search(query.text, system.exhaustive ? data.kb.length : RANK_DEPTH);
    const rank = rankOf(ranked.map((result) => result.id), query.gold);
    fullRanks.push(rank);
    ranks.push(rank !== undefined && rank <= RANK_DEPTH ? rank : undefined);
    if (query.negatives.length === 0) continue;
    const [gold, ...negatives] = await system.candidateKeys(query.text, [query.gold, ...query.negatives]);
    filteredQueries += 1;
    if (gold && goldWins(gold, negatives)) filteredHits += 1;
  }
  return {
    ranking: rankingMetrics(ranks, RANK_DEPTH),
    ...(system.exhaustive ? { mrrFullRanking: rankingMetrics(fullRanks, Number.POSITIVE_INFINITY).mrr } : {}),
    filteredHitAt1: filteredQueries === 0 ? 0 : filteredHits / filteredQueries,
    filteredQueries,
  };
}
