/**
 * @module Personal data is replaced by placeholders before customer text leaves for a remote
 * model: mainland China mobile numbers, 18-character resident ID numbers (checksum-validated),
 * bank card numbers (Luhn-validated, 16–19 digits) and e-mail addresses.
 *
 * @example
 * redactPii('我的手机 138-1234-5678', 'zh'); // '我的手机 [手机号]'
 */
import type { Lang } from '../text/lang.js';

export type PiiKind = 'phone' | 'id_card' | 'bank_card' | 'email';

/** Placeholders per language. */
export const PII_PLACEHOLDERS: Record<PiiKind, Record<Lang, string>> = {
  phone: { zh: '[手机号]', en: '[phone]' },
  id_card: { zh: '[身份证号]', en: '[id number]' },
  bank_card: { zh: '[银行卡号]', en: '[bank card]' },
  email: { zh: '[邮箱]', en: '[email]' },
};

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// 18 characters, optionally grouped 6-8-4 by spaces or hyphens; the last may be X.
const ID_CARD = /(?<![\dA-Za-z])\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx](?![\dA-Za-z])/g;
// 16–19 digits, optionally grouped by single spaces or hyphens.
const BANK_CARD = /(?<![\d-])\d(?:[ -]?\d){15,18}(?![\d-])/g;
// 1[3-9] and 9 more digits, optional +86/0086 prefix, separators like 138-1234-5678 or 138 1234 5678.
const PHONE = /(?<![\d+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d){8}(?![\d])/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CODES = '10X98765432';

/** True for an 18-character resident ID number whose check character is right. */
export function isValidIdCardNumber(value: string): boolean {
  const id = value.replace(/[ -]/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, index) => total + weight * Number(id[index]), 0);
  return ID_CHECK_CODES[sum % 11] === id[17];
}

/** True when the digits pass the Luhn check (separators ignored). */
export function passesLuhn(value: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Replaces personal data in `text` by placeholders in `lang` (default: Chinese placeholders).
 * Numbers that fail their checksum are left alone; ID numbers are tried before bank cards,
 * bank cards before phone numbers, so a longer number is never half-redacted.
 */
export function redactPii(text: string, lang: Lang = 'zh'): string {
  return text
    .replace(EMAIL, PII_PLACEHOLDERS.email[lang])
    .replace(ID_CARD, (match) => (isValidIdCardNumber(match) ? PII_PLACEHOLDERS.id_card[lang] : match))
    .replace(BANK_CARD, (match) => {
      const digits = match.replace(/[ -]/g, '').length;
      return digits >= 16 && digits <= 19 && passesLuhn(match) ? PII_PLACEHOLDERS.bank_card[lang] : match;
    })
    .replace(PHONE, PII_PLACEHOLDERS.phone[lang]);
}

/** A function applied to customer text before it goes into a prompt. */
export type Redactor = (text: string) => string;

/**
 * Whether to redact for a model at `baseURL`: `mode: 'on'|'off'` decides; `auto` (default)
 * redacts for every host but localhost, 127.0.0.0/8 and ::1 (a model on this machine sees
 * nothing new). An unparsable URL is treated as remote.
 */
export function shouldRedact(baseURL: string | undefined, mode: 'auto' | 'on' | 'off' = 'auto'): boolean {
  if (mode !== 'auto') return mode === 'on';
  if (baseURL === undefined) return true;
  let host: string;
  try {
    host = new URL(baseURL).hostname.toLowerCase();
  } catch {
    return true;
  }
  const bare = host.replace(/^\[|\]$/g, '');
  return !(bare === 'localhost' || bare.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(bare) || bare === '::1');
}
