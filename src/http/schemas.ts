import { z } from 'zod';
import { LANGS } from '../text/lang.js';

export const createConversationBody = z
  .object({
    customer: z
      .object({
        id: z.string().max(128).optional(),
        name: z.string().max(100).optional(),
        lang: z.enum(LANGS).optional(),
        tags: z.array(z.string().max(40)).max(20).default([]),
      })
      .strict()
      .optional(),
  })
  .strict();

export const messageBody = z.object({ text: z.string() }).strict();

/** A typing ping: `active: false` when the box was emptied or the text sent. */
export const typingBody = z.object({ active: z.boolean().default(true) }).strict();

export const acceptBody = z.object({ agentName: z.string().trim().min(1).max(40).optional() }).strict();

export const handoffListQuery = z.object({
  status: z.enum(['waiting', 'accepted', 'resolved', 'cancelled']).optional(),
  skillGroup: z.string().optional(),
});

export const afterQuery = z.object({ after: z.coerce.number().int().min(0).optional() });

export const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }).strict();

export const agentStatusBody = z.object({ status: z.enum(['online', 'busy', 'offline']) }).strict();

export const transferBody = z.object({ skillGroup: z.string().min(1).max(40), note: z.string().trim().min(1, 'a note is required').max(1000) }).strict();

/** 稍后处理: `{ untilReply: true }` or `{ until: ISO time }`, one of the two. */
export const snoozeBody = z.object({ until: z.iso.datetime({ offset: true }).optional(), untilReply: z.literal(true).optional() }).strict()
  .refine((body) => (body.until === undefined) !== (body.untilReply === undefined), 'give either until or untilReply: true');

export const noteBody = z.object({ text: z.string().trim().min(1).max(4000) }).strict();

export const ratingBody = z.object({ score: z.number().int().min(1).max(5), comment: z.string().trim().max(1000).optional() }).strict();

export const helpdeskReplyBody = z.object({ text: z.string(), agentName: z.string().trim().min(1).max(40).optional() }).strict();
