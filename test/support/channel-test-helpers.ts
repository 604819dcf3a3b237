/**
 * Helpers shared by the channel end-to-end tests: reading the service's own database (to prove
 * something was stored once), finding the handoff of a channel customer through the agent API,
 * and a seeded random source for the malformed-payload tests.
 */
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { ChannelName, StoredMessage } from '../../src/store/records.js';
import { agentHeaders, api } from './test-service.js';

/** The messages of a channel customer's conversation, read from the service's SQLite file. */
export async function customerTranscript(dataDir: string, channel: ChannelName, customerId: string): Promise<StoredMessage[]> {
  const { store } = openSqliteStore(path.join(dataDir, 'kefu.sqlite'));
  try {
    const conversation = await store.findConversationByCustomer(channel, customerId);
    return conversation === undefined ? [] : await store.listMessages(conversation.id);
  } finally {
    await store.close();
  }
}

/** The waiting handoff of a channel customer, found through the agent API with the service token. */
export async function waitingHandoffOf(baseUrl: string, customerId: string): Promise<{ id: string; conversation: any }> {
  const waiting = await api(baseUrl, 'GET', '/api/v1/handoffs?status=waiting', undefined, agentHeaders);
  for (const handoff of waiting.body.handoffs as Array<{ id: string }>) {
    const detail = await api(baseUrl, 'GET', `/api/v1/handoffs/${handoff.id}`, undefined, agentHeaders);
    if (detail.body.conversation?.customer?.id === customerId) return { id: handoff.id, conversation: detail.body.conversation };
  }
  throw new Error(`no waiting handoff for ${customerId}`);
}

/** Mulberry32: a small seeded PRNG, so a failing malformed-payload case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Waits `ms` milliseconds. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
