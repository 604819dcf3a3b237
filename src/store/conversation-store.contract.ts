/**
 * The contract every `ConversationStore` adapter must pass, run by each adapter's test file
 * with a factory (like hono's `common.case.test.ts`). The factory must open the same database
 * on every call, so the suite can check restarts and several instances sharing it.
 *
 * @module
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore } from './conversation-store.js';
import { aConversation, aHandoff, aMessage, aSkillGroup, at } from './store-fixtures.js';

/** What a contract factory returns: a store (not yet migrated) and how to close it. */
export interface ContractStore {
  store: ConversationStore;
  close: () => Promise<void>;
}

/** Registers the store contract as a vitest `describe` named `name`. */
export function runConversationStoreContract(name: string, open: () => Promise<ContractStore>): void {
  describe(name, () => {
    let opened: ContractStore | undefined;
    const store = (): ConversationStore => {
      if (opened === undefined) throw new Error('store not opened');
      return opened.store;
    };

    beforeAll(async () => {
      opened = await open();
      await opened.store.migrate();
    });
    afterAll(async () => {
      await opened?.close();
    });

    it('answers ping', async () => {
      await expect(store().ping()).resolves.toBeUndefined();
    });

    it('creates, reads and updates a conversation, keeping Chinese text and the customer JSON', async () => {
      const conversation = aConversation({ customer: { name: '李四', tags: ['投诉', 'vip'] } });
      await store().createConversation(conversation);
      expect(await store().getConversation(conversation.id)).toEqual(conversation);
      expect(await store().getConversation('no-such-conversation')).toBeUndefined();

      const customer = { id: 'wx-openid-1', name: '李四', lang: 'en' as const, tags: ['投诉'] };
      await store().updateConversation(conversation.id, { status: 'queued', failedTurns: 2, customer }, at(30));
      await store().updateConversation(conversation.id, { lang: 'en' }, at(31));
      expect(await store().getConversation(conversation.id)).toEqual({
        ...conversation,
        status: 'queued',
        failedTurns: 2,
        customer,
        lang: 'en',
        updatedAt: at(31),
      });
      await expect(store().updateConversation('no-such-conversation', { status: 'closed' }, at(32))).rejects.toMatchObject({
        code: 'conversation_not_found',
      });
    });

    it('appends messages in seq order and lists those after a seq', async () => {
      const { id } = aConversation();
      await store().createConversation(aConversation({ id }));
      const first = await store().appendMessage(aMessage(id));
      const second = await store().appendMessage(
        aMessage(id, {
          role: 'bot',
          text: '一般在付款后 48 小时内发货。',
          intent: 'faq',
          confidence: 0.87,
          citations: [{ entryId: 'shipping-time', title: '发货时间', category: ['售后'], kbVersion: 3 }],
          at: at(2),
        }),
      );
      const third = await store().appendMessage(aMessage(id, { role: 'agent', agentId: 'agent-7', text: 'OK', at: at(3) }));
      expect([first.seq, second.seq, third.seq]).toEqual([1, 2, 3]);
      expect(new Set([first.id, second.id, third.id]).size).toBe(3);

      expect(await store().listMessages(id)).toEqual([first, second, third]);
      expect(await store().listMessages(id, 1)).toEqual([second, third]);
      expect(await store().listMessages(id, 3)).toEqual([]);
      const [stored] = await store().listMessages(id);
      expect(stored).not.toHaveProperty('intent');
      expect(stored).not.toHaveProperty('agentId');
      await expect(store().appendMessage(aMessage('no-such-conversation'))).rejects.toMatchObject({
        code: 'conversation_not_found',
      });
    });

    it('gives 20 concurrent appends distinct, contiguous seqs', async () => {
      const conversation = aConversation();
      await store().createConversation(conversation);
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, index) => store().appendMessage(aMessage(conversation.id, { text: `第${index}条` }))),
      );
      expect(appended.map((message) => message.seq).sort((a, b) => a - b)).toEqual(range(1, 20));
      expect((await store().listMessages(conversation.id)).map((message) => message.seq)).toEqual(range(1, 20));
    });

    it('gives concurrent appends from two instances distinct, contiguous seqs', async () => {
      const conversation = aConversation();
      await store().createConversation(conversation);
      const other = await open();
      try {
        const appended = await Promise.all(
          range(1, 20).map((index) => (index % 2 === 0 ? store() : other.store).appendMessage(aMessage(conversation.id))),
        );
        expect(appended.map((message) => message.seq).sort((a, b) => a - b)).toEqual(range(1, 20));
      } finally {
        await other.close();
      }
    });

    it('serves handoffs by priority then age, with a queue position per skill group', async () => {
      const conversation = aConversation();
      await store().createConversation(conversation);
      const group = aSkillGroup();
      const newer = await store().createHandoff(aHandoff(conversation.id, group, { createdAt: at(12) }));
      const older = await store().createHandoff(aHandoff(conversation.id, group, { createdAt: at(11) }));
      const urgent = await store().createHandoff(aHandoff(conversation.id, group, { priority: 5, reason: 'vip', createdAt: at(13) }));
      const elsewhere = await store().createHandoff(aHandoff(conversation.id, aSkillGroup(), { priority: 9 }));
      expect(newer).toMatchObject({ status: 'waiting' });
      expect(await store().getHandoff(older.id)).toEqual(older);
      expect(await store().getHandoff('no-such-handoff')).toBeUndefined();
      expect(await store().latestHandoff(conversation.id)).toEqual(urgent);

      const queue = await store().listHandoffs({ status: 'waiting', skillGroups: [group] });
      expect(queue.map((handoff) => handoff.id)).toEqual([urgent.id, older.id, newer.id]);
      expect(await store().listHandoffs({ skillGroups: [] })).toEqual([]);
      const positions = await Promise.all([urgent, older, newer, elsewhere].map((handoff) => store().queuePosition(handoff.id)));
      expect(positions).toEqual([1, 2, 3, 1]);

      expect(await store().transitionHandoff(urgent.id, 'waiting', 'accepted', { agentId: 'agent-1', at: at(20) })).toBe(true);
      expect(await store().queuePosition(urgent.id)).toBe(0);
      expect(await store().queuePosition(newer.id)).toBe(2);
      expect(await store().queuePosition('no-such-handoff')).toBe(0);
    });

    it('lets exactly one of 10 concurrent accepts win', async () => {
      const conversation = aConversation();
      await store().createConversation(conversation);
      const handoff = await store().createHandoff(aHandoff(conversation.id, aSkillGroup()));
      const won = await Promise.all(
        range(0, 9).map((index) =>
          store().transitionHandoff(handoff.id, 'waiting', 'accepted', { agentId: `agent-${index}`, at: at(20 + index) }),
        ),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = won.indexOf(true);
      expect(await store().getHandoff(handoff.id)).toEqual({
        ...handoff,
        status: 'accepted',
        agentId: `agent-${winner}`,
        acceptedAt: at(20 + winner),
      });
      expect(await store().transitionHandoff(handoff.id, 'waiting', 'accepted', { agentId: 'late', at: at(40) })).toBe(false);
      expect(await store().transitionHandoff(handoff.id, 'accepted', 'resolved', { at: at(50) })).toBe(true);
      expect(await store().getHandoff(handoff.id)).toMatchObject({ status: 'resolved', agentId: `agent-${winner}`, resolvedAt: at(50) });
    });

    it('claims a key once, also under 10 concurrent claims', async () => {
      const key = `wechat:msg:${aSkillGroup()}`;
      expect(await store().claimOnce(key, at(0))).toBe(true);
      expect(await store().claimOnce(key, at(1))).toBe(false);
      const racing = `teams:activity:${aSkillGroup()}`;
      const claims = await Promise.all(range(1, 10).map(() => store().claimOnce(racing, at(2))));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('releases a claim so the key can be claimed again, by one of 10 concurrent claims', async () => {
      const key = `wechat:msg:${aSkillGroup()}`;
      const other = `${key}:other`;
      expect(await store().releaseDedupeKey(key)).toBe(false);
      expect(await store().claimOnce(key, at(0))).toBe(true);
      expect(await store().claimOnce(other, at(0))).toBe(true);
      expect(await store().releaseDedupeKey(key)).toBe(true);
      expect(await store().releaseDedupeKey(key)).toBe(false);
      const claims = await Promise.all(range(1, 10).map(() => store().claimOnce(key, at(1))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store().claimOnce(other, at(2))).toBe(false);
      const releases = await Promise.all(range(1, 10).map(() => store().releaseDedupeKey(key)));
      expect(releases.filter(Boolean)).toHaveLength(1);
    });

    it('prunes the claims made before a time, which can then be claimed again', async () => {
      const old = `wechat:msg:${aSkillGroup()}`;
      const recent = `${old}:recent`;
      expect(await store().claimOnce(old, at(0))).toBe(true);
      expect(await store().claimOnce(recent, at(20))).toBe(true);
      expect(await store().pruneDedupeKeys(at(10))).toBeGreaterThanOrEqual(1);
      expect(await store().claimOnce(old, at(30))).toBe(true);
      expect(await store().claimOnce(recent, at(30))).toBe(false);
    });

    it('finds the open-or-latest conversation of a (channel, user id) customer', async () => {
      const openid = `openid-${aSkillGroup()}`;
      const customer = { id: openid, tags: [] };
      const closed = aConversation({ channel: 'wechat', customer, status: 'closed', updatedAt: at(5) });
      const open = aConversation({ channel: 'wechat', customer, status: 'agent', updatedAt: at(3) });
      const otherChannel = aConversation({ channel: 'teams', customer, updatedAt: at(9) });
      for (const conversation of [closed, open, otherChannel]) await store().createConversation(conversation);
      expect(await store().findConversationByCustomer('wechat', openid)).toEqual(open);
      expect(await store().findConversationByCustomer('teams', openid)).toEqual(otherChannel);
      expect(await store().findConversationByCustomer('wecom', openid)).toBeUndefined();
      expect(await store().findConversationByCustomer('wechat', `${openid}-other`)).toBeUndefined();

      await store().updateConversation(open.id, { status: 'closed' }, at(4));
      expect((await store().findConversationByCustomer('wechat', openid))?.id).toBe(closed.id);
      await store().updateConversation(open.id, { status: 'closed' }, at(6));
      expect((await store().findConversationByCustomer('wechat', openid))?.id).toBe(open.id);
      await store().updateConversation(open.id, { customer: { id: `${openid}-moved`, tags: [] } }, at(7));
      expect((await store().findConversationByCustomer('wechat', `${openid}-moved`))?.id).toBe(open.id);
      expect((await store().findConversationByCustomer('wechat', openid))?.id).toBe(closed.id);
      expect((await store().listConversationsByCustomer('wechat', openid, 10)).map((item) => item.id)).toEqual([closed.id]);
      expect((await store().listConversationsByCustomer('wechat', `${openid}-moved`, 10)).map((item) => item.id)).toEqual([open.id]);
      const more = aConversation({ channel: 'wechat', customer, updatedAt: at(20) });
      await store().createConversation(more);
      expect((await store().listConversationsByCustomer('wechat', openid, 10)).map((item) => item.id)).toEqual([more.id, closed.id]);
      expect((await store().listConversationsByCustomer('wechat', openid, 1)).map((item) => item.id)).toEqual([more.id]);
    });

    it('saves, replaces and reads the channel address of a conversation', async () => {
      const conversation = aConversation({ channel: 'teams' });
      await store().createConversation(conversation);
      expect(await store().getChannelRef(conversation.id)).toBeUndefined();
      const first = { conversationId: conversation.id, channel: 'teams' as const, address: { serviceUrl: 'https://smba.example/amer/', conversation: { id: 'a:1' } }, updatedAt: at(1) };
      await store().saveChannelRef(first);
      expect(await store().getChannelRef(conversation.id)).toEqual(first);
      const second = { ...first, address: { serviceUrl: 'https://smba.example/emea/', user: { id: '29:x', name: '李四' } }, updatedAt: at(2) };
      await store().saveChannelRef(second);
      expect(await store().getChannelRef(conversation.id)).toEqual(second);
      await expect(store().saveChannelRef({ ...first, conversationId: 'no-such-conversation' })).rejects.toMatchObject({
        code: 'conversation_not_found',
      });
    });

    it('keeps everything across a restart', async () => {
      const before = await open();
      await before.store.migrate();
      const conversation = aConversation();
      await before.store.createConversation(conversation);
      const message = await before.store.appendMessage(aMessage(conversation.id));
      const handoff = await before.store.createHandoff(aHandoff(conversation.id, aSkillGroup()));
      const key = `restart:${conversation.id}`;
      await before.store.claimOnce(key, at(0));
      await before.close();

      const after = await open();
      try {
        await after.store.migrate();
        expect(await after.store.getConversation(conversation.id)).toEqual(conversation);
        expect(await after.store.listMessages(conversation.id)).toEqual([message]);
        expect(await after.store.getHandoff(handoff.id)).toEqual(handoff);
        expect(await after.store.claimOnce(key, at(1))).toBe(false);
        expect((await after.store.appendMessage(aMessage(conversation.id))).seq).toBe(2);
      } finally {
        await after.close();
      }
    });

    it('treats a second migrate as a no-op', async () => {
      const conversation = aConversation();
      await store().createConversation(conversation);
      await store().migrate();
      await store().migrate();
      expect(await store().getConversation(conversation.id)).toEqual(conversation);
    });
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
