import type { KnowledgeProblem } from '../errors.js';

/** One line per problem: `file:line [field] message (中文)`, as editors and CI logs want it. */
export function formatProblem(problem: KnowledgeProblem): string {
  const where = `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}`;
  const field = problem.field !== undefined ? ` [${problem.field}]` : '';
  return `${problem.severity === 'error' ? 'error' : 'warning'} ${where}${field} ${problem.message.en} (${problem.message.zh})`;
}
