import type { KnowledgeProblem } from '../errors.js';

/** Where a problem sits; `line` is the text line, or the row number in a sheet (1-based). */
export interface ProblemLocation {
  file: string;
  line?: number | undefined;
  field?: string | undefined;
}

/** Builds a problem with both messages written out, for readers whose wording is not a zod issue. */
export function knowledgeProblem(at: ProblemLocation, en: string, zh: string, severity: KnowledgeProblem['severity'] = 'error'): KnowledgeProblem {
  return {
    severity,
    file: at.file,
    ...(at.line !== undefined ? { line: at.line } : {}),
    ...(at.field !== undefined ? { field: at.field } : {}),
    message: { en, zh },
  };
}
