import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Lang } from '../text/lang.js';

/**
 * @module Splits long articles into passages for retrieval, at paragraph, line and then sentence
 * boundaries in Chinese and English.
 *
 * @example await splitArticle('第一句。第二句。', 'zh') // ['第一句。第二句。']
 */

/** Boundaries to split at, strongest first; the empty string is the last resort (any character). */
export const ARTICLE_SEPARATORS = ['\n\n', '\n', '。', '！', '？', '；', '. ', '! ', '? ', '; ', '，', ', ', ' ', ''];

/**
 * Characters per chunk and overlap, per language. A Han character carries about as much as three
 * to four Latin letters, so English chunks are longer for the same amount of content.
 */
export const CHUNK_SIZES: Record<Lang, { chunkSize: number; chunkOverlap: number }> = {
  zh: { chunkSize: 300, chunkOverlap: 40 },
  en: { chunkSize: 900, chunkOverlap: 120 },
};

// LangChain picks one separator per level of text; a Chinese paragraph mixing 。 and ！ would
// otherwise be cut only at 。 and its ！ sentences glued to their neighbours. So any sentence end
// of the same script splits alike, and closing quotes stay with their sentence.
const CLOSERS = '”’」』）)"\'';
const ZH_SENTENCE_END = new RegExp(`(?<=[。！？][${CLOSERS}]*)(?![${CLOSERS}])`, 'u');
const EN_SENTENCE_END = /(?<=[.!?]["')]* )/u;
const SAME_RANK: Record<string, RegExp> = { '。': ZH_SENTENCE_END, '！': ZH_SENTENCE_END, '？': ZH_SENTENCE_END, '. ': EN_SENTENCE_END, '! ': EN_SENTENCE_END, '? ': EN_SENTENCE_END };

/**
 * LangChain keeps a separator by splitting *before* it (`(?=。)`), which moves the full stop to
 * the start of the next chunk. Splitting *after* it keeps each sentence's punctuation at its end.
 */
class SentenceEndSplitter extends RecursiveCharacterTextSplitter {
  protected override splitOnSeparator(text: string, separator: string): string[] {
    if (separator === '') return [...text];
    const escaped = separator.replace(/[/\-\\^$*+?.()|[\]{}]/gu, '\\$&');
    const after = SAME_RANK[separator] ?? new RegExp(`(?<=${escaped})`);
    return text.split(after).filter((part) => part !== '');
  }
}

const splitters: Partial<Record<Lang, SentenceEndSplitter>> = {};

/**
 * Splits an article body into chunks of about `CHUNK_SIZES[lang]` characters that end at the
 * strongest boundary available and overlap a little, so a sentence cut at a chunk edge is still
 * whole in one of them. A short body is one chunk; an empty body none.
 */
export async function splitArticle(body: string, lang: Lang): Promise<string[]> {
  const text = body.trim();
  if (text === '') return [];
  splitters[lang] ??= new SentenceEndSplitter({ ...CHUNK_SIZES[lang], separators: ARTICLE_SEPARATORS, keepSeparator: true });
  const chunks = await splitters[lang].splitText(text);
  return chunks.map((chunk) => chunk.trim()).filter((chunk) => chunk !== '');
}
