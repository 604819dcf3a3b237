import type { IntentPrediction } from '../intent/intent-classifier.js';
import type { RetrievedEntry } from '../rag/retriever.js';

export interface TurnThresholds {
  /** Minimum retrieval confidence to answer from the KB. */
  answer: number;
  /** Minimum retrieval confidence when the classifier is sure the message is off-topic. */
  answerOffTopic: number;
  /** Minimum classifier confidence to act on a conversational intent. */
  intent: number;
  /** Consecutive failed turns that trigger a handoff. */
  handoffAfterFailedTurns: number;
  /** Whether asking for a person hands off (`HANDOFF_ON_REQUEST`); default true. */
  handoffOnRequest?: boolean;
}

export type SmallTalk = 'greeting_reply' | 'thanks' | 'goodbye' | 'answer_helped' | 'ticket_status' | 'human_unavailable';
export type FailureKind = 'low_confidence' | 'out_of_scope' | 'not_helped';

export type TurnDecision =
  | { kind: 'answer'; entry: RetrievedEntry; failedTurns: number; complaint: boolean }
  | { kind: 'small_talk'; reply: SmallTalk; failedTurns: number }
  | { kind: 'failed'; failure: FailureKind; failedTurns: number; complaint: boolean }
  | { kind: 'handoff'; reason: 'asked' | 'failed_turns' | 'emotion' | 'intent' | 'vip'; failure?: FailureKind; failedTurns: number };

const SMALL_TALK: Partial<Record<IntentPrediction['intent'], SmallTalk>> = {
  greeting: 'greeting_reply',
  thanks: 'thanks',
  goodbye: 'goodbye',
  answer_helped: 'answer_helped',
  ticket_status: 'ticket_status',
};

/**
 * Decides one bot turn from what the classifier and the retriever found. Pure: the engine does
 * the storing and replying. A confident KB match wins over small talk ("你好，怎么退货" is a
 * question), but a request for a person always wins: it hands off, or, with
 * `handoffOnRequest` false, gets the honest reply that this is not offered here (not a failed
 * turn, and never a KB answer about how to reach a person).
 */
export function decideTurn(
  intent: IntentPrediction,
  best: RetrievedEntry | undefined,
  failedTurns: number,
  thresholds: TurnThresholds,
): TurnDecision {
  const sure = intent.confidence >= thresholds.intent;
  if (intent.intent === 'human_request' && sure) {
    return thresholds.handoffOnRequest === false
      ? { kind: 'small_talk', reply: 'human_unavailable', failedTurns }
      : { kind: 'handoff', reason: 'asked', failedTurns };
  }
  const offTopic = intent.intent === 'out_of_scope' && sure;
  const answerable = best !== undefined && best.confidence >= (offTopic ? thresholds.answerOffTopic : thresholds.answer);
  const complaint = intent.intent === 'complaint' && sure;

  if (intent.intent === 'answer_not_helped' && sure) return failed('not_helped', failedTurns, thresholds, complaint);
  const smallTalk = SMALL_TALK[intent.intent];
  if (smallTalk && sure && !answerable) {
    return { kind: 'small_talk', reply: smallTalk, failedTurns: smallTalk === 'answer_helped' ? 0 : failedTurns };
  }
  if (answerable) return { kind: 'answer', entry: best, failedTurns: 0, complaint };
  const failure: FailureKind = offTopic ? 'out_of_scope' : 'low_confidence';
  return failed(failure, failedTurns, thresholds, complaint);
}

function failed(failure: FailureKind, failedTurns: number, thresholds: TurnThresholds, complaint: boolean): TurnDecision {
  const next = failedTurns + 1;
  if (next >= thresholds.handoffAfterFailedTurns) return { kind: 'handoff', reason: 'failed_turns', failure, failedTurns: next };
  return { kind: 'failed', failure, failedTurns: next, complaint };
}

/**
 * Whether a model should try to answer: it may rescue a near miss of the lexical match, but it is
 * not asked about small talk, off-topic messages or "that did not help".
 */
export function wantsModelAnswer(decision: TurnDecision, best: RetrievedEntry | undefined, thresholds: TurnThresholds): boolean {
  if (decision.kind === 'answer') return true;
  const lowConfidence = (decision.kind === 'failed' || (decision.kind === 'handoff' && decision.reason === 'failed_turns')) && decision.failure === 'low_confidence';
  return lowConfidence && best !== undefined && best.confidence >= thresholds.answer / 2;
}

/**
 * The turn after the model answered: covered makes it a success (count reset); not covered makes
 * it a failed turn, which may be the one that hands off.
 */
export function applyModelVerdict(
  covered: boolean,
  best: RetrievedEntry,
  failedTurns: number,
  thresholds: TurnThresholds,
  complaint: boolean,
): TurnDecision {
  if (covered) return { kind: 'answer', entry: best, failedTurns: 0, complaint };
  return failed('low_confidence', failedTurns, thresholds, complaint);
}
