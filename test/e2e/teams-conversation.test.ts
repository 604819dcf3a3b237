import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerTranscript, pause, waitingHandoffOf } from '../support/channel-test-helpers.js';
import { startFakeBotConnector, teamsActivity, type FakeBotConnector } from '../support/fake-bot-connector/index.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

const APP_ID = 'c3f1d2aa-teams-conversation-test';
const AGENTS_CHANNEL = '19:agents-channel@thread.tacv2';
const GROUPS = ['presales', 'orders', 'after-sales', 'tech-support', 'vip', 'general'];

let connector: FakeBotConnector;
let service: TestService;

beforeAll(async () => {
  connector = await startFakeBotConnector({ appId: APP_ID });
  const targets = Object.fromEntries(GROUPS.map((group) => [group, { serviceUrl: connector.serviceUrl, conversationId: AGENTS_CHANNEL }]));
  service = await startTestService({
    TEAMS_APP_ID: APP_ID, TEAMS_APP_PASSWORD: 'bot-password', TEAMS_TENANT_ID: 'tenant-1',
    TEAMS_OPENID_METADATA_URL: connector.metadataUrl, TEAMS_TOKEN_URL: connector.tokenUrl,
    TEAMS_HANDOFF_CHANNELS: JSON.stringify(targets), PUBLIC_BASE_URL: 'https://kefu.example.com/',
  });
});
afterAll(async () => {
  await service?.destroy();
  await connector?.close();
});

async function send(activity: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${service.url}/channels/teams/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${connector.sign()}` },
    body: JSON.stringify(activity),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('a Teams conversation', () => {
  const user = { id: '29:user-li', name: '李雷', aadObjectId: 'aad-li' };
  const conversation = { id: 'a:personal-li', conversationType: 'personal', tenantId: 'tenant-1' };
  const bot = { id: `28:${APP_ID}`, name: 'SupportBot' };
  const message = (text: string, extra: Record<string, unknown> = {}) => teamsActivity(connector.serviceUrl, { from: user, conversation, recipient: bot, text, locale: 'zh-CN', ...extra });

  it('welcomes when the bot is added, answers in the thread, hands off, and delivers the agent proactively', async () => {
    const added = teamsActivity(connector.serviceUrl, { type: 'conversationUpdate', text: undefined, from: user, conversation, recipient: bot, membersAdded: [bot, user], locale: 'zh-CN' });
    expect(await send(added)).toBe(200);
    const [welcome] = await connector.waitForCalls((call) => call.conversationId === conversation.id);
    expect(welcome).toMatchObject({ path: '/amer/v3/conversations/a%3Apersonal-li/activities', authorization: `Bearer ${connector.botToken}` });
    expect(welcome?.body.text).toMatch(/您好/);
    expect(connector.tokenRequests[0]).toMatchObject({ client_id: APP_ID, scope: 'https://api.botframework.com/.default' });

    const question = message('东西买回来不喜欢，七天内还能退吗');
    expect(await send(question)).toBe(200);
    const [answer] = await connector.waitForCalls((call) => call.replyToId === question.id);
    expect(answer?.path).toBe(`/amer/v3/conversations/a%3Apersonal-li/activities/${String(question.id)}`);
    expect(answer?.body).toMatchObject({ type: 'message', from: { id: bot.id }, recipient: { id: user.id }, conversation: { id: conversation.id }, replyToId: question.id });
    expect(answer?.body.text).toMatch(/7/);
    // The Bot Connector redelivering the same activity gets no second answer and stores nothing.
    expect(await send(question)).toBe(200);

    const handOff = message('<at>SupportBot</at> 转人工', { entities: [{ type: 'mention', text: '<at>SupportBot</at>', mentioned: bot }] });
    expect(await send(handOff)).toBe(200);
    const [notice] = await connector.waitForCalls((call) => call.replyToId === handOff.id);
    expect(notice?.body.text).toMatch(/人工/);
    const [announcement] = await connector.waitForCalls((call) => call.conversationId === AGENTS_CHANNEL);
    expect(announcement?.body).toMatchObject({ type: 'message', textFormat: 'plain' });
    expect(announcement?.body.text).toMatch(/New handoff · .+ · teams/);
    expect(announcement?.body.text).toContain('转人工');
    const handoff = await waitingHandoffOf(service.url, user.id);
    expect(announcement?.body.text).toContain(`https://kefu.example.com/agent#handoff=${handoff.id}`);
    expect(handoff.conversation).toMatchObject({ channel: 'teams', customer: { id: user.id, name: '李雷' } });

    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/accept`, { agentName: '小张' }, agentHeaders);
    const agentText = 'Hi 李雷, this is 小张. I will take care of your return.';
    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: agentText }, agentHeaders);
    const proactive = await connector.waitForCalls((call) => call.conversationId === conversation.id && call.replyToId === undefined && call.body.text === agentText);
    expect(proactive[0]).toMatchObject({ path: '/amer/v3/conversations/a%3Apersonal-li/activities', authorization: `Bearer ${connector.botToken}` });
    expect(proactive[0]?.body).toMatchObject({ from: { id: bot.id }, recipient: { id: user.id } });
    const joinedIndex = connector.calls.findIndex((call) => call.conversationId === conversation.id && /小张/.test(call.body.text) && call.body.text !== agentText);
    expect(joinedIndex).toBeGreaterThanOrEqual(0);
    expect(joinedIndex).toBeLessThan(connector.calls.indexOf(proactive[0]!));

    await pause(2000);
    const toUser = connector.calls.filter((call) => call.conversationId === conversation.id).map((call) => call.body.text);
    expect(new Set(toUser).size).toBe(toUser.length);
    expect(connector.calls.filter((call) => call.conversationId === AGENTS_CHANNEL)).toHaveLength(1);
    const transcript = await customerTranscript(service.dataDir, 'teams', user.id);
    expect(transcript.filter((stored) => stored.role === 'customer').map((stored) => stored.text)).toEqual(['东西买回来不喜欢，七天内还能退吗', '转人工']);
    expect(transcript.every((stored) => stored.channel === 'teams')).toBe(true);
  });

  it('says it reads text only when a message carries only an attachment', async () => {
    const picture = message('', { attachments: [{ contentType: 'image/png', contentUrl: 'https://example.com/a.png' }], locale: 'en-US', conversation: { id: 'a:pictures' } });
    expect(await send(picture)).toBe(200);
    const [reply] = await connector.waitForCalls((call) => call.replyToId === picture.id);
    expect(reply?.body.text).toMatch(/text messages/);
  });

  it('ignores activity types it has nothing to say to', async () => {
    const before = connector.calls.length;
    expect(await send(teamsActivity(connector.serviceUrl, { type: 'typing', conversation: { id: 'a:typing' } }))).toBe(200);
    expect(await send(teamsActivity(connector.serviceUrl, { type: 'conversationUpdate', membersAdded: [{ id: '29:someone' }], conversation: { id: 'a:typing' } }))).toBe(200);
    await pause(300);
    expect(connector.calls.length).toBe(before);
  });
});
