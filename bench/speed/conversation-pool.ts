import type { SyntheticQuestion } from './synthetic-kb.js';
import type { NextRequest } from './load.js';

/** Opens `size` conversations (customer language alternating zh/en), `parallel` at a time; returns their ids. */
export async function openConversations(baseUrl: string, size: number, parallel = 16): Promise<string[]> {
  const ids: string[] = new Array<string>(size);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < size) {
      const index = nextIndex++;
      const response = await fetch(`${baseUrl}/api/v1/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: { lang: index % 2 === 0 ? 'zh' : 'en' } }),
      });
      if (response.status !== 201) throw new Error(`opening a conversation answered ${response.status}: ${await response.text()}`);
      ids[index] = ((await response.json()) as { id: string }).id;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, size) }, worker));
  return ids;
}

/**
 * Round-robin over conversations and questions: consecutive requests go to different
 * conversations, so the per-conversation lock never makes one connection wait for another.
 */
export function roundRobin(conversationIds: string[], questions: SyntheticQuestion[]): NextRequest {
  let counter = 0;
  const bodies = questions.map((question) => JSON.stringify({ text: question.text }));
  return () => {
    const index = counter++;
    return {
      path: `/api/v1/conversations/${conversationIds[index % conversationIds.length] ?? ''}/messages`,
      body: bodies[(index * 7919) % bodies.length] ?? '{"text":"hi"}',
    };
  };
}
