/** The languages the product speaks to customers in. */
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Text given in one or more languages. */
export type Localized = { [K in Lang]?: string | undefined };

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const LATIN = /[A-Za-z]/u;

/**
 * Guesses the language of a customer message: Chinese as soon as a meaningful
 * share of its letters are Han characters, English when it has Latin letters only,
 * and `fallback` when it has neither (digits, emoji, punctuation).
 */
export function detectLang(text: string, fallback: Lang = 'zh'): Lang {
  let han = 0;
  let latin = 0;
  for (const char of text) {
    if (CJK.test(char)) han += 1;
    else if (LATIN.test(char)) latin += 1;
  }
  if (han === 0 && latin === 0) return fallback;
  // A Han character carries about as much as a short English word.
  return han * 3 >= latin ? 'zh' : 'en';
}

/** Picks the text for `lang`, falling back to the other language. */
export function pick(text: Localized, lang: Lang): string {
  return text[lang] ?? text[lang === 'zh' ? 'en' : 'zh'] ?? '';
}
