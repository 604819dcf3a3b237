/**
 * The contract of the console half of the store (`ConsoleStore`), run against every adapter
 * like `conversation-store.contract.ts`: queue moves, sessions, audit log, tickets, ratings and
 * the webhook outbox, including the races that must have exactly one winner.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookDelivery } from './console-records.js';
import type { ContractStore } from './conversation-store.contract.js';
import type { ConversationStore } from './conversation-store.js';
import { aConversation, aHandoff, aMessage, aSkillGroup, at } from './store-fixtures.js';

function aDelivery(handoffId: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: randomUUID(), key: `handoff:${handoffId}:g`, handoffId, skillGroup: 'g', url: 'http://127.0.0.1:9/hook', payload: '{"a":1}',
    status: 'pending', attempts: 0, nextAttemptAt: at(0), createdAt: at(0), ...overrides,
  };
}

/** Registers the console-store contract as a vitest `describe` named `name`. */
export function runConsoleStoreContract(name: string, open: () => Promise<ContractStore>): void {
  describe(name, () => {
    let opened: ContractStore | undefined;
    const store = (): ConversationStore => {
      if (!opened) throw new Error('store not opened');
      return opened.store;
    };
    const withHandoff = async (group = aSkillGroup()) => {
      const conversation = aConversation();
      await store().createConversation(conversation);
      return { conversation, handoff: await store().createHandoff(aHandoff(conversation.id, group)) };
    };

    beforeAll(async () => {
      opened = await open();
      await opened.store.migrate();
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('transfers a handoff only from the status, group and agent it is in', async () => {
      const { handoff } = await withHandoff();
      const target = aSkillGroup();
      await store().transitionHandoff(handoff.id, 'waiting', 'accepted', { agentId: 'xiaoli', at: at(20) });
      expect(await store().transferHandoff(handoff.id, { from: 'accepted', fromGroup: handoff.skillGroup, toGroup: target, agentId: 'other', at: at(21) })).toBe(false);
      const moves = await Promise.all([1, 2, 3].map(() =>
        store().transferHandoff(handoff.id, { from: 'accepted', fromGroup: handoff.skillGroup, toGroup: target, agentId: 'xiaoli', at: at(22) })));
      expect(moves.filter(Boolean)).toHaveLength(1);
      const moved = await store().getHandoff(handoff.id);
      expect(moved).toMatchObject({ status: 'waiting', skillGroup: target });
      expect(moved).not.toHaveProperty('agentId');
      expect(await store().queuePosition(handoff.id)).toBe(1);
    });

    it('keeps the queue order after a transfer: priority, then the original wait', async () => {
      const group = aSkillGroup();
      const conversation = aConversation();
      await store().createConversation(conversation);
      const waiting = await store().createHandoff(aHandoff(conversation.id, group, { createdAt: at(30) }));
      const moved = await store().createHandoff(aHandoff(conversation.id, aSkillGroup(), { createdAt: at(10) }));
      const angry = await store().createHandoff(aHandoff(conversation.id, group, { priority: 10, createdAt: at(40) }));
      await store().transferHandoff(moved.id, { from: 'waiting', fromGroup: moved.skillGroup, toGroup: group, at: at(50) });
      const queue = await store().listHandoffs({ status: 'waiting', skillGroups: [group] });
      expect(queue.map((handoff) => handoff.id)).toEqual([angry.id, moved.id, waiting.id]);
    });

    it('snoozes an accepted handoff for its agent only, and wakes it once', async () => {
      const { handoff } = await withHandoff();
      expect(await store().snoozeHandoff(handoff.id, { agentId: 'xiaoli', untilReply: true })).toBe(false); // still waiting
      await store().transitionHandoff(handoff.id, 'waiting', 'accepted', { agentId: 'xiaoli', at: at(20) });
      expect(await store().snoozeHandoff(handoff.id, { agentId: 'other', untilReply: true })).toBe(false);
      expect(await store().snoozeHandoff(handoff.id, { agentId: 'xiaoli', untilReply: true })).toBe(true);
      expect(await store().getHandoff(handoff.id)).toMatchObject({ snoozedUntilReply: true });
      const wakes = await Promise.all([1, 2, 3].map(() => store().wakeHandoff(handoff.id, at(30))));
      expect(wakes.filter(Boolean)).toHaveLength(1);
      const awake = await store().getHandoff(handoff.id);
      expect(awake).not.toHaveProperty('snoozedUntilReply');
      expect(awake).not.toHaveProperty('snoozedUntil');
      // Until a time: a wake after that time finds nothing to wake; a transfer clears the snooze.
      expect(await store().snoozeHandoff(handoff.id, { agentId: 'xiaoli', until: at(60), untilReply: false })).toBe(true);
      expect(await store().getHandoff(handoff.id)).toMatchObject({ snoozedUntil: at(60) });
      expect(await store().wakeHandoff(handoff.id, at(70))).toBe(false);
      await store().transferHandoff(handoff.id, { from: 'accepted', fromGroup: handoff.skillGroup, toGroup: aSkillGroup(), agentId: 'xiaoli', at: at(80) });
      expect(await store().getHandoff(handoff.id)).not.toHaveProperty('snoozedUntil');
    });

    it('ends timed snoozes once they are due, once across racing sweeps, and leaves the others', async () => {
      const due = await withHandoff();
      const later = await withHandoff();
      const untilReply = await withHandoff();
      for (const { handoff } of [due, later, untilReply]) await store().transitionHandoff(handoff.id, 'waiting', 'accepted', { agentId: 'xiaoli', at: at(20) });
      await store().snoozeHandoff(due.handoff.id, { agentId: 'xiaoli', until: at(40), untilReply: false });
      await store().snoozeHandoff(later.handoff.id, { agentId: 'xiaoli', until: at(90), untilReply: false });
      await store().snoozeHandoff(untilReply.handoff.id, { agentId: 'xiaoli', untilReply: true });
      const sweeps = await Promise.all([1, 2, 3].map(() => store().endDueSnoozes(at(50))));
      expect(sweeps.flat().filter((id) => id === due.handoff.id)).toHaveLength(1);
      expect(sweeps.flat()).not.toContain(later.handoff.id);
      expect(sweeps.flat()).not.toContain(untilReply.handoff.id);
      expect(await store().getHandoff(due.handoff.id)).not.toHaveProperty('snoozedUntil');
      expect(await store().getHandoff(later.handoff.id)).toMatchObject({ snoozedUntil: at(90) });
      expect(await store().getHandoff(untilReply.handoff.id)).toMatchObject({ snoozedUntilReply: true });
      expect(await store().endDueSnoozes(at(50))).not.toContain(due.handoff.id);
    });

    /** An agent id no other test uses, with one session of `status` last seen at `seen`. */
    const anAgent = async (status: 'online' | 'busy' | 'offline' = 'online', seen = at(100), expires = '2999-01-01T00:00:00.000Z') => {
      const agentId = `agent-${randomUUID()}`;
      await store().createAgentSession({ id: randomUUID(), agentId, status, createdAt: at(0), lastSeenAt: seen, expiresAt: expires });
      return agentId;
    };
    const assign = (handoff: { id: string; skillGroup: string }, agentId: string, capacity = 5, seenSince = at(50)) =>
      store().assignHandoff(handoff.id, { skillGroup: handoff.skillGroup, agentId, capacity, seenSince, at: at(120) });

    it('assigns a waiting handoff once: of racing assigns and accepts exactly one wins', async () => {
      const { handoff } = await withHandoff();
      const [ann, bob] = [await anAgent(), await anAgent()];
      const results = await Promise.all([
        assign(handoff, ann), assign(handoff, bob), assign(handoff, ann),
        store().transitionHandoff(handoff.id, 'waiting', 'accepted', { agentId: 'carol', at: at(120) }),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = [ann, bob, ann, 'carol'][results.indexOf(true)];
      expect(await store().getHandoff(handoff.id)).toMatchObject({ status: 'accepted', agentId: winner, acceptedAt: at(120) });
      expect(await assign(handoff, bob)).toBe(false);
    });

    it('never gives an agent more chats than their capacity, even when assigns race', async () => {
      const group = aSkillGroup();
      const handoffs = await Promise.all(Array.from({ length: 6 }, () => withHandoff(group).then(({ handoff }) => handoff)));
      const ann = await anAgent();
      // One chat held already (accepted by hand), so two more fit under a capacity of 3.
      await store().transitionHandoff((handoffs[0] as { id: string }).id, 'waiting', 'accepted', { agentId: ann, at: at(110) });
      const results = await Promise.all(handoffs.slice(1).map((handoff) => assign(handoff, ann, 3)));
      expect(results.filter(Boolean)).toHaveLength(2);
      const hers = (await store().listHandoffs({ status: 'accepted', skillGroups: [group] })).filter((handoff) => handoff.agentId === ann);
      expect(hers).toHaveLength(3);
      expect(await store().listHandoffs({ status: 'waiting', skillGroups: [group] })).toHaveLength(3);
    });

    it('assigns only to an agent online and seen recently, and only from the group the handoff waits in', async () => {
      const { handoff } = await withHandoff();
      expect(await assign(handoff, await anAgent('busy'))).toBe(false);
      expect(await assign(handoff, await anAgent('offline'))).toBe(false);
      expect(await assign(handoff, await anAgent('online', at(10)))).toBe(false); // not seen since at(50)
      expect(await assign(handoff, await anAgent('online', at(100), at(110)))).toBe(false); // expired before at(120)
      expect(await assign(handoff, `agent-${randomUUID()}`)).toBe(false); // never signed in
      const ann = await anAgent();
      expect(await assign({ id: handoff.id, skillGroup: aSkillGroup() }, ann)).toBe(false);
      expect(await store().getHandoff(handoff.id)).toMatchObject({ status: 'waiting' });
      expect(await assign(handoff, ann)).toBe(true);
      // The touch that took the agent's lock changed nothing about the session.
      const sessions = (await store().listAgentSessions(at(120))).filter((session) => session.agentId === ann);
      expect(sessions).toEqual([expect.objectContaining({ status: 'online', lastSeenAt: at(100) })]);
    });

    it('lists recently resolved and active handoffs', async () => {
      const { handoff } = await withHandoff();
      await store().transitionHandoff(handoff.id, 'waiting', 'accepted', { agentId: 'a', at: at(100) });
      await store().transitionHandoff(handoff.id, 'accepted', 'resolved', { at: at(200) });
      expect((await store().recentlyResolved(50)).map((item) => item.id)).toContain(handoff.id);
      expect((await store().handoffsActiveSince(at(150))).map((item) => item.id)).toContain(handoff.id);
      const { handoff: returned } = await withHandoff();
      await store().transitionHandoff(returned.id, 'waiting', 'cancelled', { at: at(210) });
      expect(await store().getHandoff(returned.id)).toMatchObject({ status: 'cancelled', resolvedAt: at(210) });
    });

    it('counts today\'s conversation outcomes and first agent replies', async () => {
      const since = '2091-03-01T00:00:00.000Z';
      const before = await store().conversationOutcomesSince(since);
      const later = (minutes: number) => new Date(Date.parse(since) + minutes * 60_000).toISOString();
      const make = async (failedTurns: number, handOff: boolean, customerWrote = true) => {
        const conversation = aConversation({ createdAt: later(1), updatedAt: later(1), failedTurns });
        await store().createConversation(conversation);
        if (customerWrote) await store().appendMessage(aMessage(conversation.id, { role: 'customer', at: later(2) }));
        if (handOff) await store().createHandoff(aHandoff(conversation.id, aSkillGroup(), { createdAt: later(3) }));
        return conversation;
      };
      await make(0, false);
      await make(2, false);
      const handed = await make(3, true);
      await make(0, false, false); // opened, never asked: not counted
      const after = await store().conversationOutcomesSince(since);
      expect({ conversations: after.conversations - before.conversations, handedOff: after.handedOff - before.handedOff, botResolved: after.botResolved - before.botResolved })
        .toEqual({ conversations: 3, handedOff: 1, botResolved: 1 });
      await store().appendMessage(aMessage(handed.id, { role: 'agent', agentId: 'a', at: later(5) }));
      await store().appendMessage(aMessage(handed.id, { role: 'agent', agentId: 'a', at: later(9) }));
      const replies = await store().firstAgentRepliesSince(since);
      expect(replies.filter((reply) => reply.conversationId === handed.id)).toEqual([{ conversationId: handed.id, at: later(5) }]);
    });

    it('keeps agent sessions until they expire, and their status', async () => {
      const id = randomUUID();
      await store().createAgentSession({ id, agentId: 'xiaoli', status: 'online', createdAt: at(0), lastSeenAt: at(0), expiresAt: at(3600) });
      await store().touchAgentSession(id, { lastSeenAt: at(60), status: 'busy' });
      expect(await store().getAgentSession(id)).toMatchObject({ agentId: 'xiaoli', status: 'busy', lastSeenAt: at(60) });
      expect((await store().listAgentSessions(at(100))).map((session) => session.id)).toContain(id);
      expect((await store().listAgentSessions(at(3600))).map((session) => session.id)).not.toContain(id);
      await store().deleteAgentSession(id);
      expect(await store().getAgentSession(id)).toBeUndefined();
    });

    it('records agent actions, newest first', async () => {
      const handoffId = randomUUID();
      for (const [index, action] of ['accept', 'reply', 'resolve'].entries()) {
        await store().recordAgentAction({ id: randomUUID(), agentId: 'xiaoli', action, handoffId, detail: { index, note: '备注' }, at: at(index) });
      }
      const actions = await store().listAgentActions({ handoffId, limit: 10 });
      expect(actions.map((action) => action.action)).toEqual(['resolve', 'reply', 'accept']);
      expect(actions[2]).toMatchObject({ detail: { index: 0, note: '备注' } });
      expect(actions[0]).not.toHaveProperty('conversationId');
    });

    it('numbers 10 concurrent tickets of a day distinctly and finds them by number', async () => {
      const conversation = aConversation();
      await store().createConversation(conversation);
      const day = `2${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      const tickets = await Promise.all(Array.from({ length: 10 }, () => store().createTicket({
        id: randomUUID(), day, conversationId: conversation.id, skillGroup: 'after-sales', reason: 'asked', summary: '退款问题',
        lang: 'zh', channel: 'wechat', promisedBy: at(86_400), createdAt: at(5),
      })));
      expect(tickets.map((ticket) => ticket.number).sort()).toEqual(Array.from({ length: 10 }, (_, index) => `T${day}-${String(index + 1).padStart(4, '0')}`));
      const first = tickets.find((ticket) => ticket.number.endsWith('-0001'));
      expect(await store().getTicketByNumber(first?.number.toLowerCase() ?? '')).toEqual(first);
      expect(await store().getTicketByNumber('T19990101-0001')).toBeUndefined();
    });

    it('keeps the first rating of a handoff only', async () => {
      const { conversation, handoff } = await withHandoff();
      const rating = { handoffId: handoff.id, conversationId: conversation.id, skillGroup: handoff.skillGroup, score: 5, channel: 'web' as const, at: at(300) };
      const saved = await Promise.all([store().saveRating({ ...rating, comment: '很好' }), store().saveRating({ ...rating, score: 1 })]);
      expect(saved.filter(Boolean)).toHaveLength(1);
      expect(await store().saveRating({ ...rating, score: 2 })).toBe(false);
      expect((await store().getRating(handoff.id))?.score).toBeOneOf([5, 1]);
      expect((await store().listRatings(at(299))).map((item) => item.handoffId)).toContain(handoff.id);
    });

    it('queues a webhook delivery once and leases it to exactly one sender', async () => {
      const handoffId = randomUUID();
      const delivery = aDelivery(handoffId);
      expect(await store().enqueueWebhook(delivery)).toBe(true);
      expect(await store().enqueueWebhook({ ...delivery, id: randomUUID() })).toBe(false);
      expect((await store().dueWebhooks(at(1), 100)).map((item) => item.id)).toContain(delivery.id);
      const claims = await Promise.all(Array.from({ length: 8 }, () => store().claimWebhook(delivery.id, 0, at(1), at(31))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store().dueWebhooks(at(2), 100)).map((item) => item.id)).not.toContain(delivery.id);
      // The lease ran out (the sender died): another sender may retry it, but only with the same attempt count.
      expect(await store().claimWebhook(delivery.id, 1, at(40), at(70))).toBe(false);
      expect(await store().claimWebhook(delivery.id, 0, at(40), at(70))).toBe(true);
      await store().finishWebhook(delivery.id, { status: 'delivered', attempts: 1, nextAttemptAt: at(41), lastStatus: 200, deliveredAt: at(41) });
      const [stored] = (await store().listWebhooks({ status: 'delivered', limit: 500 })).filter((item) => item.id === delivery.id);
      expect(stored).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, deliveredAt: at(41) });
      expect(await store().claimWebhook(delivery.id, 1, at(100), at(130))).toBe(false);
    });

    it('keeps sessions, tickets, ratings and deliveries across a restart', async () => {
      const before = await open();
      await before.store.migrate();
      const { conversation, handoff } = await withHandoff();
      const session = { id: randomUUID(), agentId: 'xiaoli', status: 'online' as const, createdAt: at(0), lastSeenAt: at(0), expiresAt: '2999-01-01T00:00:00.000Z' };
      await before.store.createAgentSession(session);
      const ticket = await before.store.createTicket({ id: randomUUID(), day: '20991231', conversationId: conversation.id, skillGroup: 'g', reason: 'asked', summary: 's', lang: 'en', channel: 'web', promisedBy: at(9), createdAt: at(1) });
      await before.store.saveRating({ handoffId: handoff.id, conversationId: conversation.id, skillGroup: 'g', score: 4, channel: 'web', at: at(2) });
      const delivery = aDelivery(handoff.id, { key: `restart:${handoff.id}` });
      await before.store.enqueueWebhook(delivery);
      await before.close();
      const after = await open();
      try {
        await after.store.migrate();
        expect(await after.store.getAgentSession(session.id)).toEqual(session);
        expect(await after.store.getTicketByNumber(ticket.number)).toEqual(ticket);
        expect(await after.store.getRating(handoff.id)).toMatchObject({ score: 4 });
        expect((await after.store.dueWebhooks(at(1), 1000)).map((item) => item.id)).toContain(delivery.id);
      } finally {
        await after.close();
      }
    });
  });
}
