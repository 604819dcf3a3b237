/**
 * `knowledge/canned-responses.yaml`: the team's canned responses (快捷回复), grouped into sets.
 * Each response has a short code the agent types after `/`, its text in Chinese and English,
 * and may be limited to some skill groups (on the set or on the response). Variables
 * `{{customer.name}}` and `{{agent.name}}` are filled in by the console. `personal` holds each
 * agent's own responses by username; only that agent sees them, as the set `personal`.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

export const CANNED_RESPONSES_FILE = 'canned-responses.yaml';

const code = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, _ and -, up to 32');
const text = z.string().trim().min(1);
const groupIds = z.array(z.string().min(1)).min(1).optional();

const responseSchema = z.object({
  code,
  zh: text,
  en: text,
  skill_groups: groupIds,
});

const setSchema = z.object({
  id: code,
  name: z.object({ zh: text, en: text }),
  skill_groups: groupIds,
  responses: z.array(responseSchema).min(1),
});

const personalSchema = z.record(z.string().min(1), z.array(responseSchema.omit({ skill_groups: true })));

export const cannedResponsesFileSchema = z.object({ sets: z.array(setSchema).default([]), personal: personalSchema.default({}) }).superRefine((file, context) => {
  const seen = new Set<string>();
  file.sets.forEach((set, setIndex) => set.responses.forEach((response, index) => {
    if (seen.has(response.code)) context.addIssue({ code: 'custom', path: ['sets', setIndex, 'responses', index, 'code'], message: `duplicate code "${response.code}"` });
    seen.add(response.code);
  }));
  for (const [agent, responses] of Object.entries(file.personal)) {
    const own = new Set<string>();
    responses.forEach((response, index) => {
      if (own.has(response.code)) context.addIssue({ code: 'custom', path: ['personal', agent, index, 'code'], message: `duplicate code "${response.code}"` });
      own.add(response.code);
    });
  }
});

const PERSONAL_NAME = { zh: '我的', en: 'Mine' };

export type CannedResponsesFile = z.infer<typeof cannedResponsesFileSchema>;

/** One response as the console gets it. */
export interface CannedResponse {
  code: string;
  set: string;
  setName: { zh: string; en: string };
  text: { zh: string; en: string };
}

/** Parses and validates the file's text; throws with the file name and field on a bad file. */
export function parseCannedResponses(source: string, file = CANNED_RESPONSES_FILE): CannedResponsesFile {
  const result = cannedResponsesFileSchema.safeParse(parse(source) ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: ${(issue?.path ?? []).join('.')}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** Reads the file, or an empty set when there is none. */
export function loadCannedResponses(file: string): CannedResponsesFile {
  return existsSync(file) ? parseCannedResponses(readFileSync(file, 'utf8'), file) : { sets: [], personal: {} };
}

/**
 * The agent's own responses first, then the team's usable in any of `groups` (undefined: every
 * group, for leads and the service token).
 */
export function cannedResponsesFor(file: CannedResponsesFile, groups: readonly string[] | undefined, agentId?: string): CannedResponse[] {
  const allowed = (restriction: string[] | undefined) => !restriction || !groups || restriction.some((group) => groups.includes(group));
  const own = (agentId !== undefined ? file.personal[agentId] : undefined) ?? [];
  return own.map((response): CannedResponse => ({ code: response.code, set: 'personal', setName: PERSONAL_NAME, text: { zh: response.zh, en: response.en } })).concat(file.sets.filter((set) => allowed(set.skill_groups)).flatMap((set) =>
    set.responses.filter((response) => allowed(response.skill_groups)).map((response) => ({
      code: response.code, set: set.id, setName: set.name, text: { zh: response.zh, en: response.en },
    }))));
}
