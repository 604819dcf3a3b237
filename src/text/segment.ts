/**
 * @module Chinese word segmentation with jieba-wasm, loaded on first use and cached.
 *
 * @example segmentHan('怎么联系人工客服') // ['怎么', '联系', '人工', '客服']
 */
import { createRequire } from 'node:module';
import type * as JiebaModule from 'jieba-wasm';

type Jieba = typeof JiebaModule;

// Loading the 4 MB dictionary takes ~0.5 s; modules that only import `normalize` or
// `termId` should not pay for it, so jieba is required on the first call instead.
let jieba: Jieba | undefined;

// FAQ questions repeat the same phrases, and a Map lookup is ~50x cheaper than a WASM call.
const CACHE_LIMIT = 50_000;
const cache = new Map<string, readonly string[]>();

function loadJieba(): Jieba {
  jieba ??= createRequire(import.meta.url)('jieba-wasm') as Jieba;
  return jieba;
}

/**
 * Splits a run of Han characters into words with jieba's `cut` (HMM on, so unknown words
 * such as product names are still grouped). Results are cached; do not mutate them.
 */
export function segmentHan(run: string): readonly string[] {
  const cached = cache.get(run);
  if (cached !== undefined) return cached;
  const words = loadJieba().cut(run, true);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(run, words);
  return words;
}
