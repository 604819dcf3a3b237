import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedIntentClassifier } from './embedded-intent-classifier.js';
import type { Intent } from './intent-classifier.js';
import { intentFeatures } from './intent-features.js';
import { intentExamples, loadIntentsFile } from './intents-file.js';
import type { IntentExample } from './intents-file.js';

const INTENTS_PATH = new URL('../../prompts/intents.yaml', import.meta.url).pathname;

/** Every 5th example of each (intent, language) list is held out, by position in the file. */
function split(examples: IntentExample[]): { train: IntentExample[]; test: IntentExample[] } {
  const positions = new Map<string, number>();
  const train: IntentExample[] = [];
  const test: IntentExample[] = [];
  for (const example of examples) {
    const key = `${example.intent}/${example.lang}`;
    const position = positions.get(key) ?? 0;
    positions.set(key, position + 1);
    (position % 5 === 4 ? test : train).push(example);
  }
  return { train, test };
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

describe('EmbeddedIntentClassifier', () => {
  const examples = intentExamples(loadIntentsFile(INTENTS_PATH));
  let classifier: EmbeddedIntentClassifier;

  beforeAll(() => {
    // Load jieba outside the timings below.
    intentFeatures('预热');
    const { result, ms } = timed(() => EmbeddedIntentClassifier.train(examples));
    classifier = result;
    console.log(`intent: trained on all ${examples.length} examples in ${ms.toFixed(0)} ms`);
  });

  it('reaches 95% accuracy on held-out examples', () => {
    const { train, test } = split(examples);
    const { result: model, ms } = timed(() => EmbeddedIntentClassifier.train(train));
    const misses = test.filter((example) => model.predict(example.text).intent !== example.intent);
    const accuracy = 1 - misses.length / test.length;
    console.log(
      `intent: held-out accuracy ${accuracy.toFixed(3)} (${test.length - misses.length}/${test.length}), ` +
        `trained on ${train.length} in ${ms.toFixed(0)} ms`,
    );
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('trains on ~800 examples well under a second', () => {
    const sample = examples.filter((_, index) => index % 3 === 0);
    const { ms } = timed(() => EmbeddedIntentClassifier.train(sample));
    console.log(`intent: trained on ${sample.length} examples in ${ms.toFixed(0)} ms`);
  });

  it.each<[string, Intent]>([
    ['转人工', 'human_request'],
    ['I want to talk to a human', 'human_request'],
    ['谢谢', 'thanks'],
    ['你好', 'greeting'],
    ['怎么退货', 'faq'],
    ['今天天气怎么样', 'out_of_scope'],
    ['没用，还是不行', 'answer_not_helped'],
    ['bye', 'goodbye'],
    ['我的工单T20261122-0042怎么样了', 'ticket_status'],
  ])('classifies %s as %s', (text, intent) => {
    expect(classifier.predict(text).intent).toBe(intent);
  });

  it('does not read lukewarm dissatisfaction as satisfaction', () => {
    const prediction = classifier.predict('不是很满意');
    expect(prediction.intent).not.toBe('answer_helped');
  });

  it('returns a probability and a different runner-up', async () => {
    for (const text of ['你好', 'how much is shipping', '', '？？？', 'asdfgh']) {
      const prediction = await classifier.classify(text);
      expect(prediction.confidence).toBeGreaterThanOrEqual(0);
      expect(prediction.confidence).toBeLessThanOrEqual(1);
      expect(prediction.runnerUp.confidence).toBeLessThanOrEqual(prediction.confidence);
      expect(prediction.runnerUp.intent).not.toBe(prediction.intent);
    }
    expect(classifier.predict('转人工').confidence).toBeGreaterThan(0.9);
  });

  it('is deterministic', () => {
    const sample = examples.filter((_, index) => index % 4 === 0);
    const first = EmbeddedIntentClassifier.train(sample);
    const second = EmbeddedIntentClassifier.train(sample);
    for (const text of ['怎么开发票', 'that did not help', '再见']) {
      expect(second.predict(text)).toEqual(first.predict(text));
    }
  });
});
