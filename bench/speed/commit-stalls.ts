/**
 * @module `npm run bench:sqlite`: how long the event loop waits on each message insert through
 * the product's SQLite store, with WAL checkpoints inline (SQLite's own, the default) and in a
 * worker thread (`SQLITE_WAL_CHECKPOINTS=worker`). Inserts run one after another, as a busy server's turns do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { markdownTable } from '../lib/table.js';
import { describeMachine, machineInfo } from '../lib/machine.js';

const CONVERSATIONS = 2_000;
const INSERTS = 30_000;
const TEXT = '星河手机A10签收后 7 天内可申请退货，在订单详情点"申请售后"。You can return it within 7 days from the order page.';

export interface CommitTimes {
  mode: 'worker' | 'inline';
  inserts: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of all insert time spent in the slowest 1% of inserts. */
  slowestShare: number;
}

/** Times `inserts` message inserts spread over `conversations` conversations in a fresh database. */
export async function timeInserts(mode: 'worker' | 'inline', inserts = INSERTS, conversations = CONVERSATIONS): Promise<CommitTimes> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-commits-'));
  const { store } = openSqliteStore(path.join(dir, 'kefu.sqlite'), { walCheckpoints: mode });
  try {
    await store.migrate();
    const at = new Date().toISOString();
    for (let index = 0; index < conversations; index += 1) {
      await store.createConversation({ id: `c${index}`, channel: 'web', customer: { tags: [] }, lang: 'zh', status: 'bot', failedTurns: 0, createdAt: at, updatedAt: at });
    }
    // Give the worker time to open the database, as it has long before a server's first turn.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const times = new Float64Array(inserts);
    for (let index = 0; index < inserts; index += 1) {
      const started = performance.now();
      await store.appendMessage({ conversationId: `c${index % conversations}`, role: 'bot', text: TEXT, channel: 'web', citations: [], at });
      times[index] = performance.now() - started;
    }
    times.sort();
    const total = times.reduce((sum, value) => sum + value, 0);
    const slowest = times.subarray(Math.floor(inserts * 0.99)).reduce((sum, value) => sum + value, 0);
    const at99 = (share: number) => times[Math.min(inserts - 1, Math.floor(inserts * share))] as number;
    return { mode, inserts, meanMs: total / inserts, p50Ms: at99(0.5), p99Ms: at99(0.99), maxMs: times[inserts - 1] as number, slowestShare: slowest / total };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function commitTable(results: CommitTimes[]): string {
  return markdownTable(
    ['WAL checkpoints', 'inserts', 'mean ms', 'p50 ms', 'p99 ms', 'max ms', 'time in slowest 1%'],
    results.map((result) => [
      result.mode === 'worker' ? 'worker thread' : 'inline (default)',
      String(result.inserts),
      result.meanMs.toFixed(4),
      result.p50Ms.toFixed(4),
      result.p99Ms.toFixed(3),
      result.maxMs.toFixed(2),
      `${(result.slowestShare * 100).toFixed(1)}%`,
    ]),
  );
}

/** Runs both modes twice, interleaved so a slow spell of a shared machine does not land on one only. */
export async function commitStallBench(): Promise<string> {
  const results: CommitTimes[] = [];
  for (const mode of ['inline', 'worker', 'inline', 'worker'] as const) results.push(await timeInserts(mode));
  return `${commitTable(results)}\n\n${describeMachine(machineInfo())}\n`;
}
