/** Unique term ids of one text, in any order. */
export type TermList = Iterable<number>;

/**
 * How well a KB question matches a customer's question, from the terms they share, each weighted
 * by its inverse document frequency: the harmonic mean of how much of the customer's question
 * the KB question covers and how much of the KB question the customer's covers. 1 means the
 * same terms; chatty extra words lower it a little, a different topic lowers it a lot.
 */
export function matchConfidence(query: ReadonlySet<number>, question: TermList, weight: (term: number) => number): number {
  let shared = 0;
  let questionMass = 0;
  for (const term of question) {
    const value = weight(term);
    questionMass += value;
    if (query.has(term)) shared += value;
  }
  return matchFromMasses(shared, termMass(query, weight), questionMass);
}

/** {@link matchConfidence} from the weight the two share and each one's total weight. */
export function matchFromMasses(shared: number, queryMass: number, questionMass: number): number {
  if (shared === 0) return 0;
  const recall = shared / queryMass;
  const precision = shared / questionMass;
  return (2 * precision * recall) / (precision + recall);
}

/** The total weight of `terms`. */
export function termMass(terms: TermList, weight: (term: number) => number): number {
  let mass = 0;
  for (const term of terms) mass += weight(term);
  return mass;
}

/** The weight of the terms of `text` that are also in `query`. */
export function sharedMass(query: ReadonlySet<number>, text: TermList, weight: (term: number) => number): number {
  let shared = 0;
  for (const term of text) if (query.has(term)) shared += weight(term);
  return shared;
}

/**
 * For long article passages: how much of the customer's question the passage covers. A passage
 * is much longer than a question, so the precision side of {@link matchConfidence} would sink it.
 */
export function queryCoverage(query: ReadonlySet<number>, passage: TermList, weight: (term: number) => number): number {
  return coverageFromMasses(sharedMass(query, passage, weight), termMass(query, weight));
}

/** {@link queryCoverage} from the weight the two share and the query's total weight. */
export function coverageFromMasses(shared: number, queryMass: number): number {
  return queryMass === 0 ? 0 : shared / queryMass;
}
