/**
 * @module The format of the scripted conversations in `bench/conversations/*.yaml`: each file
 * holds `conversations`, each a language and turns of customer text with the outcome expected.
 *
 * @example
 * conversations:
 *   - id: zh-cancel-order
 *     lang: zh
 *     turns:
 *       - say: 下错单了能取消吗
 *         expect: { answer: order-cancel }
 *
 * Outcomes: `{ answer: <entry id> }`; `failed` (no confident answer, the failed-turn count goes
 * up); `{ handoff: asked | failed_turns | emotion | intent | vip }` (the bot hands over for that
 * reason; a ticket opened because the group is closed also counts); `ticket`; `relayed` (a
 * person has the conversation, the bot stays quiet); `{ small_talk: greeting | thanks | goodbye |
 * answer_helped | ticket_status }`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const outcomeSchema = z.union([
  z.literal('failed'),
  z.literal('relayed'),
  z.literal('ticket'),
  z.strictObject({ answer: z.string().min(1) }),
  z.strictObject({ handoff: z.enum(['asked', 'failed_turns', 'emotion', 'intent', 'vip']) }),
  z.strictObject({ small_talk: z.enum(['greeting', 'thanks', 'goodbye', 'answer_helped', 'ticket_status']) }),
]);

const conversationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/u),
  lang: z.enum(['zh', 'en']),
  turns: z.array(z.strictObject({ say: z.string().min(1), expect: outcomeSchema })).min(1),
});

const fileSchema = z.strictObject({ conversations: z.array(conversationSchema).min(1) });

/** What one turn should end in. */
export type Outcome = z.output<typeof outcomeSchema>;
/** One scripted conversation. */
export type ScriptedConversation = z.output<typeof conversationSchema>;

/** Parses one file's text; errors name the file and the path inside it. */
export function parseConversations(text: string, file: string): ScriptedConversation[] {
  const result = fileSchema.safeParse(parse(text));
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`${file}: ${issues}`);
  }
  return result.data.conversations;
}

/** Reads every `*.yaml` in `dir`; conversation ids must be unique across files. */
export function loadConversations(dir: string): ScriptedConversation[] {
  const all = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((name) => parseConversations(readFileSync(path.join(dir, name), 'utf8'), name));
  const seen = new Set<string>();
  for (const conversation of all) {
    if (seen.has(conversation.id)) throw new Error(`conversation id "${conversation.id}" is used twice in ${dir}`);
    seen.add(conversation.id);
  }
  return all;
}

/**
 * Whether an actual outcome (as `describeOutcome` writes it) satisfies the expected one. A ticket
 * satisfies any expected handoff: the bot handed over, and the desk opened a ticket because the
 * group was out of hours.
 */
export function outcomeMatches(expected: Outcome, actual: string): boolean {
  const wanted = describeOutcome(expected);
  return actual === wanted || (typeof expected === 'object' && 'handoff' in expected && actual === 'ticket');
}

/** A compact text form of an outcome, for tables and mismatch lists. */
export function describeOutcome(outcome: Outcome): string {
  if (typeof outcome === 'string') return outcome;
  if ('answer' in outcome) return `answer ${outcome.answer}`;
  if ('handoff' in outcome) return `handoff ${outcome.handoff}`;
  return `small_talk ${outcome.small_talk}`;
}
