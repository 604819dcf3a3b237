/**
 * @module Text normalization shared by retrieval and intent features.
 *
 * @example normalize('ＡＢＣ１２３，退货？') // 'abc123 退货'
 */

// Chinese (and full-width) punctuation always separates words. Full-width forms are listed
// because they must become a space before NFKC turns them into ASCII that we would keep.
const CJK_PUNCTUATION =
  /[\u3000-\u3003\u3008-\u3011\u3014-\u301f\uff01\uff08\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3b\uff3d\uff5b\uff5d\uff5e\u2014\u2013\u2026\u2018\u2019\u201c\u201d\u00b7\ufe4f\ufe50-\ufe6b]/gu;

// A typographic apostrophe inside a word ("didn’t") is an apostrophe, not a quote.
const CURLY_APOSTROPHE = /(?<=\p{L})[\u2019\uff07](?=\p{L})/gu;

// ASCII sentence punctuation separates words at a word end or next to a Han character,
// but not inside numbers, versions, e-mail addresses or URLs ("1,000", "v2.1", "a.b.com").
const ASCII_SEPARATOR = /[,.;:!?](?=\s|$)|(?<=\p{Script=Han})[,.;:!?]|[,.;:!?](?=\p{Script=Han})/gu;

// Zero-width characters that chat clients and copy-paste leave behind.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/gu;

const WHITESPACE = /\s+/gu;

/**
 * Normalizes customer text: NFKC (full-width letters, digits and punctuation become
 * half-width), lower case, Chinese punctuation and sentence-final ASCII punctuation become
 * spaces, whitespace collapses to one space, and the result is trimmed.
 */
export function normalize(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(CURLY_APOSTROPHE, "'")
    .replace(CJK_PUNCTUATION, ' ')
    .normalize('NFKC')
    .toLowerCase()
    .replace(ASCII_SEPARATOR, ' ')
    .replace(WHITESPACE, ' ')
    .trim();
}
