import { describe, expect, it } from 'vitest';
import type { Intent, IntentPrediction } from '../intent/intent-classifier.js';
import type { RetrievedEntry } from '../rag/retriever.js';
import { decideTurn, type TurnThresholds } from './turn-decision.js';

const thresholds: TurnThresholds = { answer: 0.5, answerOffTopic: 0.7, intent: 0.55, handoffAfterFailedTurns: 3 };

function intent(name: Intent, confidence = 0.9): IntentPrediction {
  return { intent: name, confidence, runnerUp: { intent: 'faq', confidence: 1 - confidence } };
}

function match(confidence: number): RetrievedEntry {
  return {
    entry: { id: 'e1', category: ['售后'], title: { zh: '退货' }, questions: {}, answer: { zh: 'a' }, tags: [], skillGroup: 'after-sales', media: [], source: { file: 'f' } },
    score: 1,
    confidence,
    matchedQuestion: '退货',
    retrievers: ['sparse'],
  };
}

describe('decideTurn', () => {
  it('answers a confident KB match and resets the failed-turn count', () => {
    expect(decideTurn(intent('faq'), match(0.8), 2, thresholds)).toMatchObject({ kind: 'answer', failedTurns: 0 });
  });

  it('counts a low-confidence match as a failed turn', () => {
    expect(decideTurn(intent('faq'), match(0.2), 0, thresholds)).toMatchObject({ kind: 'failed', failure: 'low_confidence', failedTurns: 1 });
  });

  it('counts out-of-scope and not-helped as failed turns', () => {
    expect(decideTurn(intent('out_of_scope'), undefined, 0, thresholds)).toMatchObject({ kind: 'failed', failure: 'out_of_scope', failedTurns: 1 });
    expect(decideTurn(intent('answer_not_helped'), match(0.9), 1, thresholds)).toMatchObject({ kind: 'failed', failure: 'not_helped', failedTurns: 2 });
  });

  it('hands off on the third consecutive failed turn', () => {
    let failed = 0;
    const kinds: string[] = [];
    for (let turn = 0; turn < 3; turn += 1) {
      const decision = decideTurn(intent('out_of_scope'), undefined, failed, thresholds);
      kinds.push(decision.kind);
      failed = decision.failedTurns;
    }
    expect(kinds).toEqual(['failed', 'failed', 'handoff']);
    expect(decideTurn(intent('faq'), undefined, 2, thresholds)).toMatchObject({ kind: 'handoff', reason: 'failed_turns', failedTurns: 3 });
  });

  it('honours a configured failed-turn limit', () => {
    expect(decideTurn(intent('faq'), undefined, 0, { ...thresholds, handoffAfterFailedTurns: 1 })).toMatchObject({ kind: 'handoff' });
  });

  it('hands off at once when a person is asked for, even with a KB match', () => {
    expect(decideTurn(intent('human_request'), match(0.9), 0, thresholds)).toMatchObject({ kind: 'handoff', reason: 'asked', failedTurns: 0 });
  });

  it('with HANDOFF_ON_REQUEST off, answers a request for a person honestly instead, without counting a failure', () => {
    const off = { ...thresholds, handoffOnRequest: false };
    expect(decideTurn(intent('human_request'), match(0.9), 1, off)).toEqual({ kind: 'small_talk', reply: 'human_unavailable', failedTurns: 1 });
    // Two failed turns and then a request: the request neither hands off nor adds the third failure.
    expect(decideTurn(intent('human_request'), undefined, 2, off)).toEqual({ kind: 'small_talk', reply: 'human_unavailable', failedTurns: 2 });
    // The other triggers stay: the third failed turn still hands off.
    expect(decideTurn(intent('faq'), undefined, 2, off)).toMatchObject({ kind: 'handoff', reason: 'failed_turns' });
    expect(decideTurn(intent('human_request'), undefined, 0, { ...thresholds, handoffOnRequest: true })).toMatchObject({ kind: 'handoff', reason: 'asked' });
  });

  it('prefers a confident answer over small talk, and small talk over a weak match', () => {
    expect(decideTurn(intent('greeting'), match(0.9), 0, thresholds)).toMatchObject({ kind: 'answer' });
    expect(decideTurn(intent('greeting'), match(0.1), 1, thresholds)).toMatchObject({ kind: 'small_talk', reply: 'greeting_reply', failedTurns: 1 });
    expect(decideTurn(intent('answer_helped'), undefined, 2, thresholds)).toMatchObject({ kind: 'small_talk', failedTurns: 0 });
  });

  it('asks more of a KB match when the message looks off-topic', () => {
    expect(decideTurn(intent('out_of_scope'), match(0.6), 0, thresholds)).toMatchObject({ kind: 'failed', failure: 'out_of_scope' });
    expect(decideTurn(intent('out_of_scope'), match(0.8), 0, thresholds)).toMatchObject({ kind: 'answer' });
    expect(decideTurn(intent('out_of_scope', 0.3), match(0.6), 0, thresholds)).toMatchObject({ kind: 'answer' });
  });

  it('does not act on an unsure intent', () => {
    expect(decideTurn(intent('human_request', 0.3), undefined, 0, thresholds)).toMatchObject({ kind: 'failed', failure: 'low_confidence' });
  });
});
