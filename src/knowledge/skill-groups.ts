/**
 * `knowledge/skill-groups.yaml`: the teams that take over from the bot, who is in them, when
 * they work and how conversations reach them. The KB publisher keeps only the public part of a
 * group (id, names, description) in a version; the handoff layer reads the whole file.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Localized } from '../text/lang.js';

const localizedSchema = z.object({ zh: z.string().min(1).optional(), en: z.string().min(1).optional() });
/** Customers and agents read a group's name in either language, so both are required. */
const requiredText = (language: string) => z.string({ error: `the name in ${language} is required` }).trim().min(1, `the name in ${language} must not be empty`);
const groupNameSchema = z.object({ zh: requiredText('Chinese'), en: requiredText('English') }, { error: 'needs names in Chinese and English: { zh: 售后服务, en: After-sales }' });
const groupId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and -');
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item)]).transform((value) => (Array.isArray(value) ? value : [value]));

/** "09:00-18:00"; an end before the start runs past midnight into the next day. */
const timeRange = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'a range like 09:00-18:00');
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Shanghai');

/** Opening hours: a time zone and, per weekday, zero or more ranges; an absent day is closed. */
export const businessHoursSchema = z.object({
  time_zone: timeZone,
  days: z.partialRecord(z.enum(WEEKDAYS), z.array(timeRange)),
});

export const webhookSchema = z.object({
  url: z.url(),
  /** The HMAC key, or `${ENV_NAME}` to read it from the environment (secrets stay out of files). */
  secret: z.string().min(1),
});

export const skillGroupSchema = z.object({
  id: groupId,
  name: groupNameSchema,
  description: localizedSchema.optional(),
  /** Absent: open around the clock. */
  hours: businessHoursSchema.optional(),
  max_chats_per_agent: z.number().int().min(1).max(50).default(5),
  /** Wait (seconds) after which the console colours a waiting chat red; amber at half. */
  sla_seconds: z.number().int().min(10).default(300),
  /**
   * Target (seconds) for a person to answer the customer's oldest unanswered message; the
   * console's "客户已等待" timer turns amber at half and red past it. Absent: `sla_seconds`.
   */
  firstResponseTargetSeconds: z.number().int().min(10).max(86_400).optional(),
  webhook: webhookSchema.optional(),
  overflow: z.object({ after_seconds: z.number().int().min(10), group: groupId }).optional(),
});

export const agentSchema = z.object({
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,31}$/, 'lowercase letters, digits, . _ -'),
  name: z.string().min(1).max(40),
  /** From `npm run agent:hash-password`; never a plain password. */
  password_hash: z.string().startsWith('scrypt$', 'must come from npm run agent:hash-password'),
  groups: z.array(groupId).min(1),
  /** Leads see every group and the team-lead view. */
  role: z.enum(['agent', 'lead']).default('agent'),
});

export const routingRuleSchema = z.object({
  group: groupId,
  /** Higher wins when several rules match. */
  priority: z.number().int().default(0),
  /** Added to the queue priority of conversations this rule routes. */
  queue_boost: z.number().int().min(0).max(100).default(0),
  when: z
    .object({
      category: oneOrMany(z.string().min(1)).optional(),
      intent: oneOrMany(z.string().min(1)).optional(),
      lang: oneOrMany(z.enum(['zh', 'en'])).optional(),
      channel: oneOrMany(z.enum(['web', 'wechat', 'wecom', 'teams'])).optional(),
      tags: oneOrMany(z.string().min(1)).optional(),
    })
    .strict(),
});

export const skillGroupsFileSchema = z
  .object({
    default: z.string(),
    groups: z.array(skillGroupSchema).min(1),
    agents: z.array(agentSchema).default([]),
    routing: z.array(routingRuleSchema).default([]),
  })
  .superRefine((file, context) => {
    const ids = new Set(file.groups.map((group) => group.id));
    const check = (id: string, path: Array<string | number>) => {
      if (!ids.has(id)) context.addIssue({ code: 'custom', message: `unknown skill group "${id}"`, path });
    };
    check(file.default, ['default']);
    file.groups.forEach((group, at) => group.overflow && check(group.overflow.group, ['groups', at, 'overflow', 'group']));
    file.agents.forEach((agent, at) => agent.groups.forEach((id, index) => check(id, ['agents', at, 'groups', index])));
    file.routing.forEach((rule, at) => check(rule.group, ['routing', at, 'group']));
    const seen = new Set<string>();
    file.agents.forEach((agent, at) => {
      if (seen.has(agent.username)) context.addIssue({ code: 'custom', message: `duplicate username "${agent.username}"`, path: ['agents', at, 'username'] });
      seen.add(agent.username);
    });
  });

export type SkillGroupsFile = z.output<typeof skillGroupsFileSchema>;
export type SkillGroupConfig = z.output<typeof skillGroupSchema>;
export type AgentConfig = z.output<typeof agentSchema>;
export type RoutingRuleConfig = z.output<typeof routingRuleSchema>;
export type BusinessHoursConfig = z.output<typeof businessHoursSchema>;

/** What a KB version keeps of a group: no agents, hours or secrets. */
export interface SkillGroup {
  id: string;
  name: Localized;
  description?: Localized;
}

export interface SkillGroups {
  defaultGroup: string;
  /** Public fields only, safe to publish with a KB version. */
  groups: SkillGroup[];
  has(id: string): boolean;
  get(id: string): SkillGroup | undefined;
  /** The whole validated file, for routing, hours and agents. */
  file: SkillGroupsFile;
}

export function skillGroupsFrom(file: SkillGroupsFile): SkillGroups {
  const publicGroups = file.groups.map(({ id, name, description }) => ({ id, name, ...(description ? { description } : {}) }) as SkillGroup);
  const byId = new Map(publicGroups.map((group) => [group.id, group]));
  return {
    defaultGroup: file.default,
    groups: publicGroups,
    has: (id) => byId.has(id),
    get: (id) => byId.get(id),
    file,
  };
}

/**
 * Parses the file's text; throws with the file name and field on a bad file, and for a field of
 * a group also the group's id (`groups.2.name.en: the name in English is required (group "vip")`).
 */
export function parseSkillGroups(text: string, file: string): SkillGroups {
  const raw: unknown = parse(text);
  const result = skillGroupsFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path ?? [];
    const groupId = path[0] === 'groups' && typeof path[1] === 'number' ? idOf(raw, path[1]) : undefined;
    throw new Error(`${file}: ${path.join('.')}: ${issue?.message ?? 'invalid'}${groupId ? ` (group "${groupId}")` : ''}`);
  }
  return skillGroupsFrom(result.data);
}

/** The id written for the group at `index` of the unvalidated file, if it has one. */
function idOf(raw: unknown, index: number): string | undefined {
  const groups = typeof raw === 'object' && raw !== null ? (raw as { groups?: unknown }).groups : undefined;
  const group: unknown = Array.isArray(groups) ? groups[index] : undefined;
  const id = typeof group === 'object' && group !== null ? (group as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Reads and validates `skill-groups.yaml`; throws with the file name and field on a bad file. */
export function loadSkillGroups(file: string): SkillGroups {
  return parseSkillGroups(readFileSync(file, 'utf8'), file);
}

/** The groups used when a KB folder has no skill-groups.yaml (e.g. a folder with one CSV). */
export function fallbackSkillGroups(): SkillGroups {
  return skillGroupsFrom(skillGroupsFileSchema.parse({ default: 'general', groups: [{ id: 'general', name: { zh: '人工客服', en: 'Support team' } }] }));
}
