/**
 * @module The `npm run eval` command as a function, so the smoke test runs exactly what the
 * script runs, on tiny synthetic data. nlp.js trains in a child process while the rest runs here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { EmbeddedIntentClassifier } from '../src/intent/embedded-intent-classifier.js';
import { intentExamples, loadIntentsFile } from '../src/intent/intents-file.js';
import { tokenize } from '../src/text/tokenize.js';
import { loadConversations } from './dialog/conversation-script.js';
import { runConversations } from './dialog/run-conversations.js';
import { evalNotes, evalTable, type EvalResults } from './eval-report.js';
import { loadBqSplit } from './faq/bq-data.js';
import { evaluateFaq } from './faq/faq-eval.js';
import { loadClinc } from './intent/clinc-data.js';
import { runNlpjs, runOurs, scoreIntentRun } from './intent/intent-eval.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import { DEFAULT_RESULTS_DIR, writeResults } from './lib/results-file.js';

interface Flags {
  dataDir: string;
  conversations: string;
  knowledgeDir?: string;
  promptsDir: string;
  only?: string[];
  resultsDir: string;
}

/** Parses `argv` (without node and script), runs, prints through `write`, writes the JSON; returns its path. */
export async function evalCommand(argv: string[], write: (text: string) => void): Promise<{ file: string; results: EvalResults }> {
  const program = new Command('eval')
    .description('Quality: intent (CLINC150), FAQ retrieval (BQ), scripted conversations; ours beside peers')
    .option('--data-dir <dir>', 'folder holding clinc150/ and bq_corpus/', path.resolve('..', 'shared', 'data'))
    .option('--conversations <dir>', 'scripted conversations (*.yaml)', path.resolve('bench', 'conversations'))
    .option('--knowledge-dir <dir>', 'KB the conversations run on (default: the sample KB)')
    .option('--prompts-dir <dir>', 'intent examples of the product classifier', path.resolve('prompts'))
    .option('--only <parts>', 'comma list of intent, faq, conversations', (value: string) => value.split(','))
    .option('--results-dir <dir>', 'where the JSON goes', DEFAULT_RESULTS_DIR)
    .exitOverride()
    .parse(argv, { from: 'user' });
  const flags = program.opts<Flags>();
  const wanted = (part: string) => flags.only === undefined || flags.only.includes(part);
  const machine = machineInfo();
  const started = performance.now();
  // The segmenter loads once per process; keep that out of every measured step.
  tokenize('预热');
  const partMs: Record<string, number> = {};
  const results: EvalResults = { partMs };
  const since = (from: number) => performance.now() - from;

  const clincDir = path.join(flags.dataDir, 'clinc150');
  const intentSplits = wanted('intent') && existsSync(clincDir) ? loadClinc(clincDir) : undefined;
  const nlpjs = intentSplits ? runNlpjs(intentSplits) : undefined;
  // Settle a failure later, where it is awaited, not as an unhandled rejection meanwhile.
  nlpjs?.catch(() => undefined);
  const ours = intentSplits ? runOurs(intentSplits) : undefined;

  const bqDir = path.join(flags.dataDir, 'bq_corpus');
  if (wanted('faq') && existsSync(bqDir)) {
    const faqStarted = performance.now();
    const classifier = EmbeddedIntentClassifier.train(intentExamples(loadIntentsFile(path.join(flags.promptsDir, 'intents.yaml'))));
    const faq = await evaluateFaq({ train: loadBqSplit(bqDir, 'train'), test: loadBqSplit(bqDir, 'test') }, classifier);
    results.faq = { dataset: 'BQ', ...faq };
    partMs.faq = since(faqStarted);
  }
  if (wanted('conversations')) {
    const conversationsStarted = performance.now();
    results.conversations = await runConversations(loadConversations(flags.conversations), flags.knowledgeDir !== undefined ? { knowledgeDir: flags.knowledgeDir } : {});
    partMs.conversations = since(conversationsStarted);
  }
  if (intentSplits && ours && nlpjs) {
    results.intent = { dataset: 'CLINC150', systems: [scoreIntentRun('ours (embedded classifier)', ours, intentSplits), scoreIntentRun('nlp.js 4 (@nlpjs/basic)', await nlpjs, intentSplits)] };
    partMs.intent = since(started);
  }

  const notes = evalNotes(results);
  write(`${evalTable(results)}\n\n${notes.map((note) => `- ${note}`).join('\n')}${notes.length > 0 ? '\n' : ''}`);
  write(`\nMachine: ${describeMachine(machine)}; eval took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  const file = writeResults(flags.resultsDir, 'eval', { machine, durationMs: performance.now() - started, ...results });
  write(`Results: ${file}\n`);
  return { file, results };
}
