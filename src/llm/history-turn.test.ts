import { describe, expect, it } from 'vitest';
import { conversationBlock } from './history-turn.js';
import type { HistoryTurn } from './history-turn.js';

describe('conversationBlock', () => {
  it('keeps the last turns, oldest first, skipping system messages and cutting long ones', () => {
    const history: HistoryTurn[] = [
      ...Array.from({ length: 8 }, (_value, index): HistoryTurn => ({ role: index % 2 === 0 ? 'customer' : 'bot', text: `turn ${index}` })),
      { role: 'system', text: 'handoff requested' },
      { role: 'agent', text: '您好，我是客服小王'.repeat(10) },
    ];
    const block = conversationBlock(history, { maxTurns: 3, maxTurnChars: 12 });
    expect(block).toBe(
      '<conversation>\n<turn role="customer">\nturn 6\n</turn>\n<turn role="assistant">\nturn 7\n</turn>\n<turn role="agent">\n您好，我是客服小王您好，…\n</turn>\n</conversation>',
    );
  });

  it('says (none) without turns, and redacts each turn', () => {
    expect(conversationBlock([])).toBe('<conversation>\n(none)\n</conversation>');
    expect(conversationBlock([{ role: 'customer', text: 'a@b.com' }], { redact: () => '[email]', tag: 'transcript' })).toContain('[email]');
  });
});
