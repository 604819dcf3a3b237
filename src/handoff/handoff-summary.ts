import type { HandoffReason, StoredMessage } from '../store/records.js';
import type { Lang } from '../text/lang.js';

const REASON_TEXT: Record<HandoffReason, Record<Lang, string>> = {
  asked: { zh: '客户要求转人工', en: 'Customer asked for a person' },
  failed_turns: { zh: '机器人连续多轮未能解决', en: 'The bot failed several turns in a row' },
  emotion: { zh: '客户情绪激动', en: 'Customer is upset' },
  intent: { zh: '命中转人工意图规则', en: 'Intent rule' },
  vip: { zh: 'VIP 客户', en: 'VIP customer' },
};

/** Why a conversation was handed off, in words an agent reads. */
export function reasonText(reason: HandoffReason, lang: Lang): string {
  return REASON_TEXT[reason][lang];
}

/**
 * A short extractive summary for the agent, written without a model: what the customer asked
 * (their last questions), what the bot answered from the KB, and why it handed off.
 */
export function extractiveSummary(messages: StoredMessage[], reason: HandoffReason, lang: Lang): string {
  const asked = messages
    .filter((message) => message.role === 'customer')
    .map((message) => truncate(message.text, 60))
    .slice(-3);
  const tried = [...new Set(messages.flatMap((message) => message.citations.map((citation) => citation.title)))].slice(-3);
  const separator = lang === 'zh' ? '；' : '; ';
  if (lang === 'zh') {
    return [
      `客户问：${asked.join(' / ') || '（无）'}`,
      `机器人已答：${tried.join('、') || '（未找到相关知识）'}`,
      `转人工原因：${reasonText(reason, 'zh')}`,
    ].join(separator);
  }
  return [
    `Customer asked: ${asked.join(' / ') || '(nothing)'}`,
    `Bot answered with: ${tried.join(', ') || '(no matching KB entry)'}`,
    `Why: ${reasonText(reason, 'en')}`,
  ].join(separator);
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
