import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, shot, signInAgent, useServiceAndBrowser } from '../support/browser.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

let service: TestService;
let browser: Browser;

useServiceAndBrowser((started) => ({ service, browser } = started));


const signIn = (page: Page, username: string) => signInAgent(page, service.url, username);

describe('handoff from the chat page to the agent console, in a real browser', () => {
  it('hands a failing customer to an agent who replies live, resolves, and gets a 5', async () => {
    const agentContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const customerContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    const agent = await agentContext.newPage();
    const customer = await customerContext.newPage();

    // A wrong password first: the console says so and stays on the sign-in form.
    await agent.goto(`${service.url}/agent`);
    await agent.getByTestId('login-username').fill('xiaowang');
    await agent.getByTestId('login-password').fill('wrong-password');
    await agent.getByTestId('login-submit').click();
    await poll(() => agent.getByTestId('login-error').textContent()).toContain('用户名或密码错误');
    await shot(agent, 'console-login.png');
    await signIn(agent, 'xiaowang');
    expect(await agent.getByTestId('agent-name').textContent()).toBe('小王');

    // The customer, on the shop page `/`, opens the chat widget, gets one answer from the KB, then
    // fails three times and is handed off.
    await customer.goto(`${service.url}/`);
    await customer.getByTestId('widget-launcher').click();
    const chat = customer.frameLocator('[data-testid="widget-frame"]');
    await chat.getByTestId('msg').first().waitFor();
    for (const [index, text] of ['尺码怎么选', '今天北京天气怎么样', '给我讲个笑话吧', '帮我写一首关于月亮的诗'].entries()) {
      await chat.getByTestId('chat-input').fill(text);
      await chat.getByTestId('chat-input').press('Enter');
      await chat.locator('[data-testid="msg"][data-role="customer"]').nth(index).waitFor();
      await chat.getByTestId('typing').waitFor({ state: 'hidden', timeout: 10_000 });
    }
    await chat.getByTestId('queue-card').waitFor({ state: 'visible', timeout: 10_000 });
    await shot(customer, 'chat-queued.png');

    // The agent sees it arrive live in 排队中, with the transcript and the summary.
    const card = agent.locator('[data-testid="handoff-card"][data-status="waiting"]').first();
    await card.waitFor({ timeout: 10_000 });
    expect(await agent.title()).toMatch(/^\(1\) 客服工作台/);
    await card.click();
    await agent.getByTestId('accept-button').waitFor({ state: 'visible' });
    const transcript = agent.getByTestId('transcript');
    await poll(() => transcript.textContent()).toContain('给我讲个笑话吧');
    expect(await agent.getByTestId('summary-text').textContent()).toContain('笑话');
    expect(await agent.getByTestId('context-trigger').textContent()).toContain('帮我写一首关于月亮的诗');
    expect(await agent.getByTestId('reply-input').isDisabled()).toBe(true);
    // What the bot answered from is listed in the context panel, with 插入.
    const cited = agent.getByTestId('cited-entry');
    expect(await cited.count()).toBe(1);
    expect(await cited.textContent()).toMatch(/尺码/);
    await shot(agent, 'console-queued.png');

    // Accept, then reply with Enter; the customer sees it live.
    await agent.getByTestId('accept-button').click();
    await poll(() => agent.getByTestId('detail-status').textContent()).toBe('进行中');
    await agent.getByTestId('reply-input').fill('您好，我是小王，请问有什么可以帮您？');
    await agent.getByTestId('reply-input').press('Enter');
    const agentBubble = chat.locator('[data-testid="msg"][data-role="agent"]');
    await agentBubble.waitFor({ timeout: 10_000 });
    expect(await agentBubble.textContent()).toContain('我是小王');
    await poll(() => chat.locator('#log').textContent()).toContain('客服 小王 已接入');
    // An internal note stays in the console.
    await agent.getByTestId('mode-note').click();
    await agent.getByTestId('reply-input').fill('客户只是想聊天，无订单问题');
    await agent.getByTestId('reply-input').press('Enter');
    await agent.getByTestId('note').waitFor();
    expect(await agent.getByTestId('note').textContent()).toContain('小王');
    // KB search with one-click insertion into the reply box.
    await agent.getByTestId('mode-reply').click();
    await agent.getByTestId('kb-query').fill('发票怎么开');
    await agent.getByTestId('kb-query').press('Enter');
    await agent.getByTestId('kb-result').first().waitFor();
    await agent.getByTestId('kb-insert').first().click();
    expect(await agent.getByTestId('reply-input').inputValue()).toMatch(/发票/);
    // The entry the bot cited inserts its answer at the cursor too, keeping the draft.
    await agent.getByTestId('reply-input').fill('您好：');
    await agent.getByTestId('cited-insert').click();
    await poll(() => agent.getByTestId('reply-input').inputValue()).toMatch(/^您好：.*尺码/s);
    await shot(agent, 'console-active.png');
    await agent.getByTestId('reply-input').fill('');
    await shot(customer, 'chat-agent-reply.png');
    expect(await chat.locator('#log').textContent()).not.toContain('无订单问题');

    // Resolve with Alt+E; the customer rates 5 with a comment.
    await agent.keyboard.press('Alt+KeyE');
    await poll(() => agent.getByTestId('detail-status').textContent()).toBe('已解决');
    const ratingCard = chat.getByTestId('rating-card');
    await ratingCard.waitFor({ state: 'visible', timeout: 10_000 });
    await chat.getByTestId('rating-5').click();
    await chat.getByTestId('rating-comment').fill('回复很快，谢谢');
    await shot(customer, 'chat-rating.png');
    await chat.getByTestId('rating-submit').click();
    await chat.getByTestId('rating-thanks').waitFor();

    const resolved = await api(service.url, 'GET', '/api/v1/handoffs?status=resolved', undefined, agentHeaders);
    const handoffId = resolved.body.handoffs[0].id as string;
    const detail = await api(service.url, 'GET', `/api/v1/handoffs/${handoffId}`, undefined, agentHeaders);
    expect(detail.body.rating).toEqual({ score: 5, comment: '回复很快，谢谢' });
    expect(detail.body.handoff.agentId).toBe('xiaowang');
    await agent.reload();
    await agent.getByTestId('tab-all').click();
    await agent.locator(`[data-handoff-id="${handoffId}"]`).click();
    await poll(() => agent.getByTestId('summary').textContent()).toContain('★★★★★');
    await shot(agent, 'console-resolved.png');

    // The team lead sees the day's figures.
    const leadContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const leadPage = await leadContext.newPage();
    await signIn(leadPage, 'lead');
    await leadPage.getByTestId('view-lead').click();
    await poll(() => leadPage.getByTestId('stat-resolved').textContent()).toContain('1');
    expect(await leadPage.getByTestId('stat-csat').textContent()).toContain('100%');
    await shot(leadPage, 'console-lead.png');
    await leadPage.getByTestId('lang-toggle').click();
    await poll(() => leadPage.getByTestId('stat-csat').textContent()).toContain('CSAT');
    await shot(leadPage, 'console-lead-en.png');
    await Promise.all([agentContext.close(), customerContext.close(), leadContext.close()]);
  });
});

describe('automatic assignment in the console (HANDOFF_AUTO_ASSIGN=true), in a real browser', () => {
  let assigning: TestService;
  beforeAll(async () => {
    assigning = await startTestService({ HANDOFF_AUTO_ASSIGN: 'true' });
  });
  afterAll(async () => {
    await assigning?.destroy();
  });

  it('shows a chat given to the signed-in agent live in 我的, with a banner, ready to reply without 接入', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const agent = await context.newPage();
    await signInAgent(agent, assigning.url, 'xiaowang');
    expect(await agent.getByTestId('assign-banner').isVisible()).toBe(false);

    const created = await api(assigning.url, 'POST', '/api/v1/conversations', { customer: { name: '李四' } });
    const id = created.body.id as string;
    const turn = await api(assigning.url, 'POST', `/api/v1/conversations/${id}/messages`, { text: '转人工' });
    expect(turn.body).toMatchObject({ status: 'agent', handoff: { status: 'accepted' } });

    const banner = agent.getByTestId('assign-banner');
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await agent.getByTestId('assign-text').textContent()).toBe('已为您分配新会话：李四（售前咨询）');
    await poll(() => agent.getByTestId('tab-mine').textContent()).toContain('1');
    await poll(() => agent.getByTestId('my-load').textContent()).toBe('1/3'); // his smallest group limit (vip)
    await shot(agent, 'console-assigned.png');
    await agent.getByTestId('assign-open').click();
    await banner.waitFor({ state: 'hidden' });
    await poll(() => agent.getByTestId('detail-status').textContent()).toBe('进行中');
    expect(await agent.getByTestId('tab-mine').getAttribute('aria-selected')).toBe('true');
    expect(await agent.getByTestId('accept-button').isVisible()).toBe(false);
    await poll(() => agent.getByTestId('transcript').textContent()).toContain('客服 小王 已接入');
    await agent.getByTestId('reply-input').fill('您好，我是小王');
    await agent.getByTestId('reply-input').press('Enter');
    await poll(async () => (await api(assigning.url, 'GET', `/api/v1/conversations/${id}`)).body.messages.at(-1)?.text).toBe('您好，我是小王');
    // In English the banner speaks English.
    const second = await api(assigning.url, 'POST', '/api/v1/conversations', { customer: { name: 'Ann' } });
    await agent.getByTestId('lang-toggle').click();
    await api(assigning.url, 'POST', `/api/v1/conversations/${second.body.id as string}/messages`, { text: '转人工' });
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await agent.getByTestId('assign-text').textContent()).toBe('New chat assigned to you: Ann (Pre-sales)');
    await context.close();
  });
});
