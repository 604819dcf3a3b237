/**
 * @module Runs scripted conversations against a real server over HTTP (embedded defaults, a
 * temporary data folder) and reads each turn's outcome from the API's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { configSchema } from '../../src/config.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { startService } from '../../src/service.js';
import { describeOutcome, outcomeMatches, type ScriptedConversation } from './conversation-script.js';

const turnResponse = z.object({
  reply: z.object({ intent: z.string(), citations: z.array(z.object({ entryId: z.string() })) }).nullable(),
  status: z.string(),
  failedTurns: z.number(),
  handoff: z.object({ reason: z.string() }).nullable(),
});

/** One conversation's result: every turn's expected and actual outcome. */
export interface ConversationResult {
  id: string;
  lang: string;
  turns: Array<{ say: string; expected: string; actual: string; ok: boolean }>;
  /** Every turn as expected. */
  ok: boolean;
  /** The last turn as expected (the conversation ends where it should, whatever happened on the way). */
  endsOk: boolean;
}

/** Summary of a run. */
export interface ConversationEvaluation {
  conversations: number;
  conversationsOk: number;
  conversationsEndOk: number;
  turns: number;
  turnsOk: number;
  byLang: Record<string, { conversations: number; conversationsOk: number; turns: number; turnsOk: number }>;
  results: ConversationResult[];
  durationMs: number;
}

/** Reads what a turn ended in from the message route's JSON. */
export function outcomeOf(body: z.output<typeof turnResponse>, previous: { status: string; failedTurns: number }): string {
  if (body.reply === null) return 'relayed';
  if (body.reply.intent === 'ticket_created') return 'ticket';
  if (body.handoff !== null && body.status === 'queued' && previous.status === 'bot') return `handoff ${body.handoff.reason}`;
  const cited = body.reply.citations[0];
  if (cited) return `answer ${cited.entryId}`;
  if (body.failedTurns > previous.failedTurns) return 'failed';
  return `small_talk ${body.reply.intent}`;
}

/** Starts a server on `knowledgeDir` (sample KB by default) and runs every conversation through it. */
export async function runConversations(conversations: ScriptedConversation[], options: { knowledgeDir?: string } = {}): Promise<ConversationEvaluation> {
  const started = performance.now();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'kefu-eval-conversations-'));
  const config = configSchema.parse({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, KB_RELOAD_INTERVAL_MS: '0', AGENT_TOKEN: 'eval-agent-token-0123456789',
    CONVERSATIONS_PER_IP_PER_MINUTE: '100000', MESSAGES_PER_CONVERSATION_PER_MINUTE: '100000',
    // A staffed desk: in hours a handoff queues for a person instead of becoming a ticket.
    HANDOFF_TICKET_WHEN_NOBODY_ONLINE: 'false',
    ...(options.knowledgeDir !== undefined ? { KNOWLEDGE_DIR: options.knowledgeDir } : {}),
  });
  const service = await startService(config, process.env.EVAL_DEBUG ? createLogger({ level: 'error', format: 'json' }) : silentLogger());
  const results: ConversationResult[] = [];
  try {
    for (const conversation of conversations) results.push(await runOne(service.url, conversation));
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const byLang: ConversationEvaluation['byLang'] = {};
  for (const result of results) {
    const lang = (byLang[result.lang] ??= { conversations: 0, conversationsOk: 0, turns: 0, turnsOk: 0 });
    lang.conversations += 1;
    lang.conversationsOk += result.ok ? 1 : 0;
    lang.turns += result.turns.length;
    lang.turnsOk += result.turns.filter((turn) => turn.ok).length;
  }
  return {
    conversations: results.length,
    conversationsOk: results.filter((result) => result.ok).length,
    conversationsEndOk: results.filter((result) => result.endsOk).length,
    turns: results.reduce((sum, result) => sum + result.turns.length, 0),
    turnsOk: results.reduce((sum, result) => sum + result.turns.filter((turn) => turn.ok).length, 0),
    byLang,
    results,
    durationMs: performance.now() - started,
  };
}

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function runOne(base: string, conversation: ScriptedConversation): Promise<ConversationResult> {
  const created = z.object({ id: z.string() }).parse(await post(`${base}/api/v1/conversations`, { customer: { lang: conversation.lang } }));
  let previous = { status: 'bot', failedTurns: 0 };
  const turns: ConversationResult['turns'] = [];
  for (const turn of conversation.turns) {
    const body = turnResponse.parse(await post(`${base}/api/v1/conversations/${created.id}/messages`, { text: turn.say }));
    const actual = outcomeOf(body, previous);
    turns.push({ say: turn.say, expected: describeOutcome(turn.expect), actual, ok: outcomeMatches(turn.expect, actual) });
    previous = { status: body.status, failedTurns: body.failedTurns };
  }
  return { id: conversation.id, lang: conversation.lang, turns, ok: turns.every((turn) => turn.ok), endsOk: turns.at(-1)?.ok ?? false };
}
