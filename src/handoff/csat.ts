/**
 * CSAT (满意度评价): a 1-5 score, where 4 and 5 count as satisfied.
 *
 * @module
 */

/** The score in a bare reply like "5", "５" or "5分", for channels without a rating card. */
export function parseRatingReply(text: string): number | undefined {
  const match = /^\s*([1-5])\s*(分|星|stars?)?\s*[。.!！]?\s*$/i.exec(text.normalize('NFKC'));
  return match ? Number(match[1]) : undefined;
}

/** Share (0..1) of ratings that are 4 or 5, or undefined without ratings. */
export function csatShare(scores: number[]): number | undefined {
  if (scores.length === 0) return undefined;
  return scores.filter((score) => score >= 4).length / scores.length;
}
