/** Unique term ids of one text, in any order. */
export type TermList = Iterable<number>;

/**
 * How well a KB question matches a customer's question, from the terms they share, each weighted
 * by its inverse document frequency: the harmonic mean of how much of the customer's question
 * the KB question covers and how much of the KB question the customer's covers. 1 means the
 * same terms; chatty extra words lower it a little, a different topic lowers it a lot.
 */
export function matchConfidence(query: ReadonlySet<number>, question: TermList, weight: (term: number) => number): number {
  let queryMass = 0;
  for (const term of query) queryMass += weight(term);
  let shared = 0;
  let questionMass = 0;
  for (const term of question) {
    const value = weight(term);
    questionMass += value;
    if (query.has(term)) shared += value;
  }
  if (shared === 0) return 0;
  const recall = shared / queryMass;
  const precision = shared / questionMass;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * For long article passages: how much of the customer's question the passage covers. A passage
 * is much longer than a question, so the precision side of {@link matchConfidence} would sink it.
 */
export function queryCoverage(query: ReadonlySet<number>, passage: TermList, weight: (term: number) => number): number {
  let queryMass = 0;
  for (const term of query) queryMass += weight(term);
  let shared = 0;
  for (const term of passage) if (query.has(term)) shared += weight(term);
  return queryMass === 0 ? 0 : shared / queryMass;
}
