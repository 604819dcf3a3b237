import { describe, expect, it } from 'vitest';
import type { Handoff } from '../../store/records.js';
import { activitySchema, customerText, langOfLocale, referenceOf } from './teams-activity.js';
import { TeamsAuthenticator } from './teams-auth.js';
import { announcementText } from './teams-handoff-announcer.js';

const base = {
  type: 'message',
  id: '1485983408511',
  serviceUrl: 'https://smba.trafficmanager.net/amer/',
  channelId: 'msteams',
  from: { id: '29:1abc', name: 'Megan', aadObjectId: 'aad-1' },
  conversation: { id: '19:abc@thread.tacv2;messageid=1', conversationType: 'channel', tenantId: 't1', isGroup: true },
  recipient: { id: '28:bot', name: 'SupportBot' },
  text: '<at>SupportBot</at> 我的订单 <at>Lee</at> 还没到',
  locale: 'zh-CN',
  entities: [
    { type: 'clientInfo', locale: 'zh-CN' },
    { type: 'mention', text: '<at>SupportBot</at>', mentioned: { id: '28:bot', name: 'SupportBot' } },
    { type: 'mention', text: '<at>Lee</at>', mentioned: { id: '29:lee' } },
    'junk',
  ],
};

describe('Teams activities', () => {
  it('reads the Teams channel sample, removing the bot mention and keeping other names', () => {
    const activity = activitySchema.parse(base);
    expect(customerText(activity)).toBe('我的订单 Lee 还没到');
    expect(referenceOf(activity)).toEqual({
      serviceUrl: base.serviceUrl,
      channelId: 'msteams',
      conversation: base.conversation,
      bot: base.recipient,
      user: base.from,
      activityId: base.id,
      locale: 'zh-CN',
    });
  });

  it('refuses activities without the fields a reply needs, or with a non-http serviceUrl', () => {
    for (const broken of [{ ...base, from: undefined }, { ...base, serviceUrl: 'file:///etc/passwd' }, { ...base, conversation: { id: '' } }, { ...base, text: 42 }]) {
      expect(activitySchema.safeParse(broken).success).toBe(false);
    }
  });

  it('maps Bot Framework locales to the languages we speak', () => {
    expect([langOfLocale('zh-CN'), langOfLocale('zh-TW'), langOfLocale('en-US'), langOfLocale('EN-gb'), langOfLocale('fr-FR'), langOfLocale(undefined)]).toEqual(['zh', 'zh', 'en', 'en', undefined, undefined]);
  });
});

describe('handoff announcements', () => {
  const handoff = {
    id: 'h-1', conversationId: 'c-1', skillGroup: 'after-sales', reason: 'asked', priority: 10, status: 'waiting',
    summary: '客户问：[点我](http://evil) / 退货', createdAt: '2025-01-01T00:00:00.000Z',
    context: { customerTags: ['vip'], citations: [], failedTurns: 0, lang: 'zh', channel: 'wechat' },
  } as Handoff;

  it('carries group, channel, summary and the console link', () => {
    const text = announcementText(handoff, 'https://kefu.example.com/');
    expect(text).toContain('after-sales · wechat · VIP');
    expect(text).toContain('[点我](http://evil)');
    expect(text).toContain('https://kefu.example.com/agent#handoff=h-1');
    expect(announcementText(handoff, undefined)).toContain('Handoff h-1');
  });
});

describe('TeamsAuthenticator', () => {
  it('refuses everything when no app id is set and the emulator mode is off', async () => {
    const auth = new TeamsAuthenticator({ appId: undefined, appPassword: undefined, allowUnauthenticated: false });
    await expect(auth.authenticate(undefined, { channelId: 'msteams', serviceUrl: '' })).rejects.toMatchObject({ status: 401 });
    const emulator = new TeamsAuthenticator({ appId: '', appPassword: '', allowUnauthenticated: true });
    await expect(emulator.authenticate(undefined, { channelId: 'emulator', serviceUrl: 'http://localhost:1/' })).resolves.toBeUndefined();
  });
});
