import type { ConversationEvaluation } from './dialog/run-conversations.js';
import type { FaqEvaluation } from './faq/faq-eval.js';
import type { IntentSystemResult } from './intent/intent-eval.js';
import { duration, markdownTable, ratio } from './lib/table.js';

/** Everything `npm run eval` measured. */
export interface EvalResults {
  /** Wall time of each part, in ms (intent: until both systems are scored). */
  partMs?: Record<string, number>;
  intent?: { dataset: string; systems: IntentSystemResult[] };
  faq?: { dataset: string } & FaqEvaluation;
  conversations?: ConversationEvaluation;
}

const share = (part: number, whole: number) => `${ratio(whole === 0 ? undefined : part / whole)} (${part}/${whole})`;
const threshold = (value: number) => (Number.isFinite(value) ? value.toPrecision(3) : 'never answer');

function intentRows(intent: NonNullable<EvalResults['intent']>): string[][] {
  return intent.systems.map((system) => [
    `intent, ${intent.dataset}`, system.system, 'test', `in-scope acc. ${ratio(system.test.inScopeAccuracy)}`,
    `OOS P ${ratio(system.test.oosPrecision)} · OOS R ${ratio(system.test.oosRecall)} · macro-F1 ${ratio(system.test.macroF1)} · OOS thr. ${threshold(system.threshold)} (val) · ` +
      `without threshold: acc. ${ratio(system.testWithoutThreshold.inScopeAccuracy)}, OOS R ${ratio(system.testWithoutThreshold.oosRecall)} · train ${duration(system.trainMs)}`,
  ]);
}

function faqRows(faq: NonNullable<EvalResults['faq']>): string[][] {
  const rows: string[][] = [];
  for (const result of faq.results) {
    const mrrFull = result.mrrFullRanking !== undefined ? ` (full ranking ${ratio(result.mrrFullRanking)})` : '';
    const oos = result.oosTuned;
    rows.push([
      `FAQ, ${faq.dataset}`, result.system, result.split, `hit@1 ${ratio(result.ranking.hitAt1)}`,
      `hit@5 ${ratio(result.ranking.hitAt5)} · MRR@10 ${ratio(result.ranking.mrr)}${mrrFull} · filtered hit@1 ${ratio(result.filteredHitAt1)} · ` +
        `OOS (thr. ${threshold(oos.threshold)} from train): P ${ratio(oos.oosPrecision)} R ${ratio(oos.oosRecall)}, in-scope hit@1 ${ratio(oos.inScopeHitAt1)}`,
    ]);
    const product = result.oosProduct;
    if (product) {
      rows.push([
        `FAQ OOS, ${faq.dataset}`, `${result.system} @ product threshold`, result.split, `in-scope hit@1 ${ratio(product.inScopeHitAt1)}`,
        `threshold ${threshold(product.threshold)}: OOS P ${ratio(product.oosPrecision)} R ${ratio(product.oosRecall)} · in-scope answered ${ratio(product.inScopeAnswered)}`,
      ]);
    }
  }
  return rows;
}

function conversationRows(conversations: ConversationEvaluation): string[][] {
  const rows = [[
    'conversations, sample KB', 'ours over HTTP', 'all', `as expected ${share(conversations.conversationsOk, conversations.conversations)}`,
    `ending as expected ${share(conversations.conversationsEndOk, conversations.conversations)} · turns ${share(conversations.turnsOk, conversations.turns)}`,
  ]];
  for (const [lang, counts] of Object.entries(conversations.byLang)) {
    rows.push(['conversations, sample KB', 'ours over HTTP', lang, `as expected ${share(counts.conversationsOk, counts.conversations)}`, `turns ${share(counts.turnsOk, counts.turns)}`]);
  }
  return rows;
}

/** The one printed table: a row per system, task and split, the headline score first. */
export function evalTable(results: EvalResults): string {
  const rows = [
    ...(results.intent ? intentRows(results.intent) : []),
    ...(results.faq ? faqRows(results.faq) : []),
    ...(results.conversations ? conversationRows(results.conversations) : []),
  ];
  return markdownTable(['task', 'system', 'split', 'headline', 'more'], rows);
}

/** Lines under the table: what did not go as scripted, and publish times. */
export function evalNotes(results: EvalResults): string[] {
  const notes: string[] = [];
  if (results.partMs) notes.push(`Wall time: ${Object.entries(results.partMs).map(([part, ms]) => `${part} ${duration(ms)}`).join(', ')}.`);
  if (results.faq) {
    for (const [split, times] of Object.entries(results.faq.publishMs)) {
      notes.push(`FAQ ${split}: published ${times.entries} entries through our ingestion in ${duration(times.kb)} (in-scope view ${duration(times.kbInScope)}).`);
    }
  }
  for (const result of results.conversations?.results ?? []) {
    for (const turn of result.turns.filter((candidate) => !candidate.ok)) notes.push(`conversation ${result.id}: "${turn.say}" expected ${turn.expected}, got ${turn.actual}`);
  }
  return notes;
}
