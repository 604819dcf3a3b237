/** Every intent the conversation engine knows; examples live in `prompts/intents.yaml`. */
export const INTENTS = [
  'greeting',
  'thanks',
  'goodbye',
  'human_request',
  'complaint',
  'ticket_status',
  'answer_helped',
  'answer_not_helped',
  'faq',
  'out_of_scope',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentScore {
  intent: Intent;
  /** Probability-like score in [0, 1]. */
  confidence: number;
}

export interface IntentPrediction extends IntentScore {
  /** The second-best intent, so callers can tell a close call from a clear one. */
  runnerUp: IntentScore;
}

/** The intent-classifier port: the embedded model, or a model server with the embedded one as fallback. */
export interface IntentClassifier {
  /** `signal`: the caller's deadline (the turn's model budget); a classifier without a model may ignore it. */
  classify(text: string, signal?: AbortSignal): Promise<IntentPrediction>;
}
