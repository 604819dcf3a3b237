/**
 * @module Tiny made-up data in the layout of the evaluation sets (CLINC150's `data_full.json`, the
 * BQ FAQ view's JSONL files), a tiny KB and scripted conversations, so the smoke tests run the
 * real commands without the datasets.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

const INTENTS: Record<string, string[]> = {
  weather: ['what is the weather', 'will it rain today', 'is it sunny outside', 'weather forecast please', 'how hot is it', 'do i need an umbrella'],
  music: ['play some music', 'put on a song', 'play jazz', 'start my playlist', 'play the next track', 'turn on the radio'],
  alarm: ['set an alarm', 'wake me up at seven', 'alarm for 6 am', 'cancel my alarm', 'set a wake up call', 'snooze the alarm'],
  balance: ['what is my balance', 'how much money do i have', 'check my account balance', 'show my savings', 'bank balance please', 'money left in checking'],
  recipe: ['how do i cook rice', 'recipe for pancakes', 'how to bake bread', 'give me a soup recipe', 'how to make pasta', 'cooking instructions for eggs'],
};
const OOS = ['who wrote hamlet', 'how tall is everest', 'tell me about dinosaurs', 'what is the capital of peru', 'how far is the moon', 'who painted the mona lisa'];

/** Writes `clinc150/data_full.json` with five toy intents plus out-of-scope rows. */
export function writeToyIntentSet(dataDir: string): void {
  const rows = (from: number, to: number) => Object.entries(INTENTS).flatMap(([intent, texts]) => texts.slice(from, to).map((text) => [text, intent]));
  const oos = (from: number, to: number) => OOS.slice(from, to).map((text) => [text, 'oos']);
  const dir = path.join(dataDir, 'clinc150');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'data_full.json'), JSON.stringify({
    train: rows(0, 4), oos_train: oos(0, 2), val: rows(4, 5), oos_val: oos(2, 4), test: rows(5, 6), oos_test: oos(4, 6),
  }));
}

const TOPICS = ['退货', '退款', '发票', '物流', '积分', '优惠券', '密码', '地址', '保修', '会员'];

/** Writes the BQ FAQ view's six JSONL files with 20 made-up entries per split. */
export function writeToyFaqView(dataDir: string): void {
  const dir = path.join(dataDir, 'bq_corpus', 'faq');
  mkdirSync(dir, { recursive: true });
  for (const split of ['train', 'test']) {
    const entries = TOPICS.flatMap((topic, index) => [
      { id: `${split}-${index}-a`, question: `${topic}怎么办理`, n_paraphrases: 1, heldout_cluster: index % 5 === 4 },
      { id: `${split}-${index}-b`, question: `${topic}要多久`, n_paraphrases: 0, heldout_cluster: false },
    ]);
    const queries = TOPICS.map((topic, index) => ({
      qid: `${split}-${index}-q`, text: `请问${topic}如何办理`, gold: `${split}-${index}-a`, negatives: [`${split}-${index}-b`], heldout_cluster: index % 5 === 4,
    }));
    const lines = (records: object[]) => `${records.map((record) => JSON.stringify(record)).join('\n')}\n`;
    writeFileSync(path.join(dir, `${split}.kb.jsonl`), lines(entries));
    writeFileSync(path.join(dir, `${split}.kb_in_scope.jsonl`), lines(entries.filter((entry) => !entry.heldout_cluster)));
    writeFileSync(path.join(dir, `${split}.queries.jsonl`), lines(queries));
  }
}

/** Writes a three-entry YAML KB and two scripted conversations over it; returns their folders. */
export function writeToyConversations(root: string): { knowledgeDir: string; conversationsDir: string } {
  const knowledgeDir = path.join(root, 'knowledge');
  const conversationsDir = path.join(root, 'conversations');
  mkdirSync(knowledgeDir, { recursive: true });
  mkdirSync(conversationsDir, { recursive: true });
  const entry = (id: string, zh: string, en: string) => ({ id, questions: { zh: [zh], en: [en] }, answer: { zh: `关于${zh}的答案`, en: `About: ${en}` } });
  writeFileSync(path.join(knowledgeDir, 'faq.yaml'), stringify({ entries: [entry('toy-return', '怎么退货', 'how do I return an item'), entry('toy-invoice', '怎么开发票', 'how do I get an invoice'), entry('toy-points', '积分怎么用', 'how do I use my points')] }));
  writeFileSync(path.join(conversationsDir, 'toy.yaml'), stringify({
    conversations: [
      { id: 'toy-zh', lang: 'zh', turns: [{ say: '怎么退货', expect: { answer: 'toy-return' } }, { say: '转人工', expect: { handoff: 'asked' } }] },
      { id: 'toy-en', lang: 'en', turns: [{ say: 'how do I get an invoice', expect: { answer: 'toy-invoice' } }] },
    ],
  }));
  return { knowledgeDir, conversationsDir };
}
