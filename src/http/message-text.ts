import { PayloadTooLargeError, ValidationError } from '../errors.js';

/** Checks a customer's or agent's message: not blank, and at most `max` characters (code points). */
export function checkMessageText(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed === '') throw new ValidationError('text must not be empty', 'empty_text');
  const length = [...trimmed].length;
  if (length > max) throw new PayloadTooLargeError(`text is ${length} characters; the limit is ${max}`);
  return trimmed;
}
