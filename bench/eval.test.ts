import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evalCommand } from './eval-command.js';
import { writeToyConversations, writeToyFaqView, writeToyIntentSet } from './smoke/synthetic-eval-data.js';

const root = mkdtempSync(path.join(tmpdir(), 'kefu-eval-smoke-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run eval on tiny synthetic data', () => {
  it('prints one table and writes the JSON with every part', async () => {
    const dataDir = path.join(root, 'data');
    writeToyIntentSet(dataDir);
    writeToyFaqView(dataDir);
    const { knowledgeDir, conversationsDir } = writeToyConversations(root);
    let printed = '';
    const resultsDir = path.join(root, 'results');
    const { file } = await evalCommand(
      ['--data-dir', dataDir, '--conversations', conversationsDir, '--knowledge-dir', knowledgeDir, '--results-dir', resultsDir],
      (text) => (printed += text),
    );

    expect(printed).toMatch(/^\| task +\| system +\| split +\| headline +\| more +\|$/mu);
    for (const system of ['ours (embedded classifier)', 'nlp.js', 'MiniSearch', 'Orama', 'floor: char', 'ours over HTTP']) expect(printed).toContain(system);
    expect(existsSync(file)).toBe(true);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['machine', 'durationMs', 'partMs', 'intent', 'faq', 'conversations']));
    expect(json.intent.systems).toHaveLength(2);
    for (const system of json.intent.systems) expect(Object.keys(system.test)).toEqual(['inScopeAccuracy', 'oosPrecision', 'oosRecall', 'macroF1']);
    expect(json.faq.results).toHaveLength(10);
    expect(json.faq.results.map((result: { split: string }) => result.split)).toEqual([...Array(5).fill('train'), ...Array(5).fill('test')]);
    for (const result of json.faq.results) {
      expect(Object.keys(result.ranking)).toEqual(['hitAt1', 'hitAt5', 'mrr', 'queries']);
      expect(result.ranking.queries).toBe(10);
      expect(result.filteredQueries).toBe(10);
      expect(Object.keys(result.oosTuned)).toEqual(expect.arrayContaining(['threshold', 'oosPrecision', 'oosRecall', 'inScopeHitAt1']));
    }
    expect(json.conversations).toMatchObject({ conversations: 2, turns: 3 });
  });
});
