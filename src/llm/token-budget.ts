/**
 * @module Rough token counting for prompt budgets, without a tokenizer: about one token per
 * CJK character, about 0.75 English words per token, one per other symbol. Errs high.
 *
 * @example
 * estimateTokens('退货运费谁出？'); // 7
 * estimateTokens('Who pays for return shipping?'); // 8
 */

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/uy;
const SPACE = /\s/u;

/** Estimated token count of `text` (integer, 0 for empty text). */
export function estimateTokens(text: string): number {
  let cjk = 0;
  let words = 0;
  let symbols = 0;
  let index = 0;
  while (index < text.length) {
    const char = String.fromCodePoint(text.codePointAt(index) ?? 0);
    if (CJK.test(char)) {
      cjk += 1;
      index += char.length;
      continue;
    }
    if (SPACE.test(char)) {
      index += char.length;
      continue;
    }
    WORD.lastIndex = index;
    const word = WORD.exec(text);
    // A word stops at the first CJK character, which is counted on its own.
    const latin = word ? /^[^\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]+/u.exec(word[0]) : null;
    if (latin) {
      words += 1;
      index += latin[0].length;
    } else {
      symbols += 1;
      index += char.length;
    }
  }
  return cjk + Math.ceil(words / 0.75) + symbols;
}

/** Tokens the chat format adds to each message (its role and separators). */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** Estimated tokens of a chat prompt: each message's content and its overhead. */
export function promptTokens(messages: ReadonlyArray<{ content: string }>): number {
  return messages.reduce((total, message) => total + MESSAGE_OVERHEAD_TOKENS + estimateTokens(message.content), 0);
}

/** The longest prefix of `text` (whole code points) estimated at most `maxTokens`, with `…` when cut. */
export function truncateToTokens(text: string, maxTokens: number): string {
  if (estimateTokens(text) <= maxTokens) return text;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimateTokens(`${chars.slice(0, middle).join('')}…`) <= maxTokens) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? '' : `${chars.slice(0, low).join('')}…`;
}

/**
 * Keeps items in rank order (best first) while their cost fits in `budget`: an item too big for
 * what is left is skipped and smaller, lower-ranked ones may still fit. The best item is always
 * kept, cut by `shrink` when it alone exceeds the budget.
 */
export function fitToBudget<T>(items: readonly T[], budget: number, cost: (item: T) => number, shrink: (item: T, budget: number) => T): T[] {
  const kept: T[] = [];
  let left = budget;
  for (const [rank, item] of items.entries()) {
    const itemCost = cost(item);
    if (itemCost <= left) {
      kept.push(item);
      left -= itemCost;
    } else if (rank === 0) {
      kept.push(shrink(item, budget));
      left = 0;
    }
  }
  return kept;
}
