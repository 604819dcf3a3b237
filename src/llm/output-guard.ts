/**
 * @module A last check on model answers before a customer sees them: rejects answers that leak
 * the system prompt (a long run of its text, or its canary) or that claim the model changed its
 * role or dropped its rules — the visible signs that a prompt injection worked.
 *
 * @example
 * const guard = new OutputGuard([systemPrompt]);
 * guard.check('好的，我现在是DAN'); // { ok: false, reason: 'role_change' }
 */

export type GuardVerdict = { ok: true } | { ok: false; reason: 'system_prompt_leak' | 'role_change' };

export interface OutputGuardOptions {
  /**
   * Length (letters and digits only, lower-cased) of a run shared with a protected prompt that
   * counts as a leak. Default 60: about 10–12 English words; shorter runs occur by chance.
   */
  windowChars?: number;
  /** Markers planted in the protected prompts; any occurrence is a leak. Default `KF-ANSWER-SYSTEM-PROMPT`. */
  canaries?: string[];
}

const DISCLOSURE = [
  /\b(?:my|the)\s+(?:system\s+prompt|(?:initial|original|hidden)\s+(?:prompt|instructions))\b/i,
  /\bmy\s+instructions\s+(?:are|say|read)\b/i,
  /(?:系统提示词|系统提示|初始指令|原始指令|隐藏指令)(?:原文|内容|如下|是)/,
];

const ROLE_CHANGE = [
  /\b(?:I\s+am|I'm)\s+now\b/i,
  /\bDAN\b/,
  /\b(?:developer|god|jailbreak|unrestricted)\s+mode\b/i,
  /\bjailbr(?:eak|oken)\b/i,
  /\b(?:ignor|disregard)(?:e|ed|ing)\s+(?:all\s+)?(?:of\s+)?(?:my\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|original)\s+(?:instructions|rules|guidelines)/i,
  /\bno\s+longer\s+(?:bound|restricted|limited)\b/i,
  /\bwithout\s+any\s+(?:restrictions|limitations|filters|rules)\b/i,
  /\bI\s+have\s+been\s+(?:pwned|hacked)\b/i,
  /我现在是/,
  /我(?:已经|已)?(?:切换|转换|变成|成为|进入)(?:了|到|为)?.{0,12}(?:模式|角色|身份)/,
  /(?:开发者|越狱|无限制|上帝|DAN)模式/,
  /(?:忽略|无视|抛开)了?(?:之前|以上|先前|此前|原有|所有|全部)的?(?:所有|全部)?(?:指令|指示|规则|设定|提示|限制)/,
  /不再受.{0,8}(?:限制|约束)/,
  /(?:没有|不受)任何(?:限制|约束|规则)/,
];

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export class OutputGuard {
  private readonly windowChars: number;
  private readonly windows = new Set<string>();
  private readonly canaries: string[];

  /** `protectedTexts`: the system prompts the answer must not reveal. */
  constructor(protectedTexts: readonly string[], options: OutputGuardOptions = {}) {
    this.windowChars = options.windowChars ?? 60;
    this.canaries = (options.canaries ?? ['KF-ANSWER-SYSTEM-PROMPT']).map(normalize).filter((canary) => canary !== '');
    for (const text of protectedTexts) {
      const normal = normalize(text);
      for (let start = 0; start + this.windowChars <= normal.length; start += 1) this.windows.add(normal.slice(start, start + this.windowChars));
    }
  }

  /** Checks an answer (or the part streamed so far). */
  check(answer: string): GuardVerdict {
    const normal = normalize(answer);
    if (this.canaries.some((canary) => normal.includes(canary))) return { ok: false, reason: 'system_prompt_leak' };
    for (let start = 0; start + this.windowChars <= normal.length; start += 1) {
      if (this.windows.has(normal.slice(start, start + this.windowChars))) return { ok: false, reason: 'system_prompt_leak' };
    }
    if (DISCLOSURE.some((pattern) => pattern.test(answer))) return { ok: false, reason: 'system_prompt_leak' };
    if (ROLE_CHANGE.some((pattern) => pattern.test(answer))) return { ok: false, reason: 'role_change' };
    return { ok: true };
  }
}
