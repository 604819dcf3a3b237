/**
 * @module A light English stemmer: enough to make "returns", "returned" and "returning"
 * meet, without Porter's full rule set (customer questions are short and a wrong conflation
 * costs more than a missed one).
 *
 * @example stem('shipping') // 'ship'
 */

const VOWEL = /[aeiouy]/u;
// Porter keeps these doubled endings ("bill", "pass", "buzz").
const KEEP_DOUBLE = new Set(['l', 's', 'z']);

/** Strips plural -s/-es/-ies, -ing, -ed and -ly from a lower-case word, and a final silent -e. */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/u.test(word)) return word;
  let base = word;
  if (base.endsWith('ies') && base.length > 4) base = `${base.slice(0, -3)}y`;
  else if (base.endsWith('sses')) base = base.slice(0, -2);
  else if (/(?:x|zz|ch|sh)es$/u.test(base)) base = base.slice(0, -2);
  else if (base.endsWith('s') && !/(?:ss|us|is)$/u.test(base)) base = base.slice(0, -1);
  else if (base.endsWith('ing')) base = stripVerbSuffix(base, 3);
  else if (base.endsWith('ed')) base = stripVerbSuffix(base, 2);
  else if (base.endsWith('ly') && base.length >= 6) base = base.slice(0, -2);
  // "charge", "charged" and "charging" all become "charg".
  if (base.endsWith('e') && base.length > 4) base = base.slice(0, -1);
  return base;
}

function stripVerbSuffix(word: string, suffixLength: number): string {
  const base = word.slice(0, -suffixLength);
  // "thing", "string", "red" are not inflections: the rest must be a plausible stem.
  if (base.length < 3 || !VOWEL.test(base)) return word;
  const last = base.at(-1) ?? '';
  // "shipping" -> "shipp" -> "ship"
  if (last === base.at(-2) && !VOWEL.test(last) && !KEEP_DOUBLE.has(last)) return base.slice(0, -1);
  // British doubling: "cancelled", "travelling" meet "canceled", "traveling".
  if (base.length > 5 && base.endsWith('ell')) return base.slice(0, -1);
  return base;
}
