/**
 * The few sentences the channel layer says itself, about the channel rather than the
 * conversation (the conversation's texts live in `prompts/replies.yaml`).
 *
 * @module
 */
import type { Lang } from '../text/lang.js';

const TEXT_ONLY = {
  zh: '抱歉，目前仅支持文字消息，请用文字描述您的问题。',
  en: 'Sorry, I can only read text messages for now. Please type your question.',
} as const;

/** The polite answer to an image, voice, file or other non-text message; both languages when unknown. */
export function textOnlyReply(lang: Lang | undefined): string {
  return lang === undefined ? `${TEXT_ONLY.zh}\n${TEXT_ONLY.en}` : TEXT_ONLY[lang];
}
