/**
 * @module Stop words for retrieval terms. Kept short on purpose: BM25's idf already
 * discounts common words, and over-eager lists drop words that matter ("not", "no").
 */

/** English words too common to help retrieval. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'is', 'are', 'was', 'were', 'be', 'been', 'am',
  'to', 'of', 'in', 'on', 'at', 'for', 'with', 'and', 'or', 'it', 'its', 'this', 'that',
  'do', 'does', 'did', 'i', 'im', 'my', 'me', 'you', 'your', 'we', 'our', 'us',
  'can', 'could', 'would', 'will', 'should', 'how', 'what', 'please', 'there', 'any',
]);

/**
 * Han characters that are function words on their own. A jieba word made only of these
 * ("的", "我们", "是的") is dropped; the character bigrams that contain them are kept.
 */
export const HAN_STOP_CHARS: ReadonlySet<string> = new Set([
  ...'的了吗呢吧啊呀哦哈嘛啦么嗯哎喔噢呗',
  ...'我你您他她它们是在和与及或就都也还又把被给让这那着过个很',
]);

/** Multi-character function words that `HAN_STOP_CHARS` does not cover. */
export const HAN_STOP_WORDS: ReadonlySet<string> = new Set(['请问', '一下', '一个', '这个', '那个', '请']);
