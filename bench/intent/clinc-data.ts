import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LabelledText } from './label-classifier.js';

/** The label of every out-of-scope row. */
export const OOS_LABEL = 'oos';

/** An intent set with out-of-scope rows: train/tune/report splits, as CLINC150 has them. */
export interface IntentSplits {
  train: LabelledText[];
  oosTrain: LabelledText[];
  val: LabelledText[];
  oosVal: LabelledText[];
  test: LabelledText[];
  oosTest: LabelledText[];
}

const rows = z.array(z.tuple([z.string(), z.string()]));
const fileSchema = z.object({ train: rows, oos_train: rows, val: rows, oos_val: rows, test: rows, oos_test: rows });

/** Reads `data_full.json` of CLINC150 from `dir`. */
export function loadClinc(dir: string): IntentSplits {
  const file = fileSchema.parse(JSON.parse(readFileSync(path.join(dir, 'data_full.json'), 'utf8')));
  const toExamples = (list: Array<[string, string]>) => list.map(([text, label]) => ({ text, label }));
  return {
    train: toExamples(file.train),
    oosTrain: toExamples(file.oos_train),
    val: toExamples(file.val),
    oosVal: toExamples(file.oos_val),
    test: toExamples(file.test),
    oosTest: toExamples(file.oos_test),
  };
}
