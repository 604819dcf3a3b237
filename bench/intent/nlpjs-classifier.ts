/**
 * @module nlp.js (`@nlpjs/basic`), the best-known Node NLU library, as the peer of our intent
 * model: its `Nlp` with the English pipeline and default training settings. Out-of-scope
 * training rows become its own `None` intent; its score threshold is set to 0 so the raw score
 * comes back and the OOS threshold is tuned like ours.
 */
import { containerBootstrap, LangEn, Nlp } from '@nlpjs/basic';
import { OOS_LABEL } from './clinc-data.js';
import type { LabelledText, LabelPrediction } from './label-classifier.js';

const NONE = 'None';

/** A trained nlp.js model. */
export interface NlpjsModel {
  predict(text: string): Promise<LabelPrediction>;
}

/** Trains nlp.js on `examples` (label `oos` → its `None` intent). */
export async function trainNlpjs(examples: LabelledText[]): Promise<NlpjsModel> {
  const container = await containerBootstrap();
  container.use(LangEn);
  const nlp = new Nlp({ container, languages: ['en'], autoSave: false, autoLoad: false, threshold: 0, calculateSentiment: false, nlu: { log: false } });
  for (const example of examples) nlp.addDocument('en', example.text, example.label === OOS_LABEL ? NONE : example.label);
  await nlp.train();
  return {
    async predict(text) {
      const result = (await nlp.process('en', text)) as { intent?: string; score?: number };
      const intent = result.intent ?? NONE;
      return { label: intent === NONE ? OOS_LABEL : intent, confidence: result.score ?? 0 };
    },
  };
}
