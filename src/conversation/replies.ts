import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Lang } from '../text/lang.js';

const text = z.object({ zh: z.string().min(1), en: z.string().min(1) });

export const repliesSchema = z.object({
  greeting: text,
  greeting_reply: text,
  thanks: text,
  goodbye: text,
  answer_helped: text,
  not_understood: text,
  out_of_scope: text,
  not_helped: text,
  complaint: text,
  ticket_status: text,
  handoff_queued: text,
  handoff_failed_turns: text,
  relayed_while_queued: text,
  agent_joined: text,
  resolved: text,
  closed: text,
  // Handoff, tickets and CSAT (issue 6).
  handoff_emotion: text,
  queue_eta: text,
  ticket_created_closed: text,
  ticket_created_nobody: text,
  ticket_status_found: text,
  ticket_status_not_found: text,
  ticket_state_open: text,
  ticket_state_closed: text,
  transferred: text,
  returned_to_bot: text,
  rating_request: text,
  rating_thanks: text,
  queue_left: text,
  // Asking for a person with HANDOFF_ON_REQUEST=false.
  human_unavailable: text,
});

export type ReplyKey = keyof z.output<typeof repliesSchema>;

/** The bot's own sentences in both languages, with `{name}` placeholders. */
export class Replies {
  constructor(private readonly texts: z.output<typeof repliesSchema>) {}

  static load(file: string): Replies {
    const result = repliesSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new Error(`${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    return new Replies(result.data);
  }

  render(key: ReplyKey, lang: Lang, values: Record<string, string | number> = {}): string {
    return this.texts[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  }
}
