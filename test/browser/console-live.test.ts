import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { poll, signInAgent, useServiceAndBrowser } from '../support/browser.js';
import { agentHeaders, api, type TestService } from '../support/test-service.js';

let service: TestService;
let browser: Browser;

useServiceAndBrowser((started) => ({ service, browser } = started));


const signIn = (page: Page, username: string) => signInAgent(page, service.url, username);

describe('live presence between the widget and the console', () => {
  it('shows typing both ways and warns when a colleague opens the same chat', async () => {
    const customer = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const wang = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })).newPage();
    const zhang = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })).newPage();

    await customer.goto(`${service.url}/embed.html`);
    await customer.getByTestId('msg').first().waitFor();
    await customer.getByTestId('handoff-button').click();
    await customer.getByTestId('queue-card').waitFor({ state: 'visible', timeout: 10_000 });

    await signIn(wang, 'xiaowang');
    await signIn(zhang, 'xiaozhang');
    const wangCard = wang.locator('[data-testid="handoff-card"][data-status="waiting"]').first();
    await wangCard.click();
    await wang.getByTestId('accept-button').waitFor({ state: 'visible' });
    const presence = wang.getByTestId('presence');
    expect(await presence.isHidden()).toBe(true);
    // The SLA timer on the card and in the header: 客户已等待 mm:ss.
    expect(await wangCard.getByTestId('customer-wait').textContent()).toMatch(/^客户已等待 \d\d:\d\d$/);
    expect(await wang.locator('.detail-meta [data-testid="customer-wait"]').textContent()).toMatch(/^客户已等待 \d\d:\d\d$/);

    // 小张 opens the same chat: 小王 sees the collision warning.
    await zhang.locator('[data-testid="handoff-card"][data-status="waiting"]').first().click();
    await zhang.getByTestId('accept-button').waitFor({ state: 'visible' });
    await poll(() => presence.textContent()).toBe('小张 正在查看');

    await wang.getByTestId('accept-button').click();
    await wang.getByTestId('reply-input').waitFor({ state: 'visible' });
    await poll(() => wang.getByTestId('reply-input').isEnabled()).toBe(true);

    // The agent types: the customer sees 客服正在输入…
    const agentTyping = customer.getByTestId('agent-typing');
    await poll(() => agentTyping.isVisible()).toBe(false);
    await wang.getByTestId('reply-input').pressSequentially('您好', { delay: 30 });
    await poll(() => agentTyping.isVisible()).toBe(true);
    expect(await agentTyping.textContent()).toContain('客服正在输入…');

    // The customer types: the console shows it.
    await customer.getByTestId('chat-input').pressSequentially('我的订单', { delay: 30 });
    await poll(() => presence.textContent()).toBe('客户正在输入…');

    // The agent sends: the indicator goes with the message.
    await wang.getByTestId('reply-input').press('Enter');
    await customer.locator('[data-testid="msg"][data-role="agent"]').first().waitFor({ timeout: 10_000 });
    await poll(() => agentTyping.isVisible()).toBe(false);
    // Answered: the wait timer stops and the card counts the active time again.
    await poll(() => wang.locator('.detail-meta [data-testid="customer-wait"]').count()).toBe(0);
    expect(await wang.locator('.detail-meta .detail-timer').textContent()).toMatch(/^已接入 /);

    // The team lead sees today's first response time, handoff rate and bot resolution rate.
    const lead = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(lead, 'lead');
    await lead.getByTestId('view-lead').click();
    await poll(() => lead.getByTestId('stat-first-response').textContent()).toMatch(/首次响应时长\d\d:\d\d/);
    expect(await lead.getByTestId('stat-handoff-rate').textContent()).toBe('转人工率100%今日 1 个会话');
    expect(await lead.getByTestId('stat-bot-rate').textContent()).toBe('机器人解决率0%');
    // Online in 售前咨询: 小王, 小张 and the lead.
    const presales = lead.getByTestId('lead-groups').locator('tr', { hasText: '售前咨询' });
    expect(await presales.locator('td').allTextContents()).toEqual(['售前咨询', '0', '—', '1', '3', expect.stringMatching(/^\d\d:\d\d$/)]);
    expect(await lead.getByTestId('lead-agents').locator('tr', { hasText: '小王' }).locator('td').nth(2).textContent()).toBe('1/3'); // capacity: the smallest of 小王's groups (VIP, 3)
  }, 60_000);

  it('colours the wait amber at half the first-response target and red past it', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${service.url}/agent`);
    // A string, so the test runner does not rewrite the browser's dynamic import.
    const classes = await page.evaluate(`(async () => {
      const { timerFor } = await import('/console/list.js');
      const ago = (seconds) => new Date(Date.now() - seconds * 1000).toISOString();
      const handoff = (seconds) => ({ id: 'h', status: 'accepted', createdAt: ago(600), acceptedAt: ago(500), customerWaitingSince: ago(seconds) });
      return [10, 70, 130].map((seconds) => timerFor(handoff(seconds), 120000).className);
    })()`);
    expect(classes).toEqual(['card-timer', 'card-timer is-amber', 'card-timer is-red']);
    await page.close();
  });

  it('lists the customer\'s earlier conversations with their last CSAT in the context panel', async () => {
    const customer = { id: 'cust-browser-history', name: '周先生', tags: [] };
    const first = (await api(service.url, 'POST', '/api/v1/conversations', { customer })).body.id as string;
    const firstHandoff = (await api(service.url, 'POST', `/api/v1/conversations/${first}/messages`, { text: '我要退货' })).body;
    await api(service.url, 'POST', `/api/v1/conversations/${first}/messages`, { text: '转人工' });
    const handoffId = (firstHandoff.handoff ?? (await api(service.url, 'GET', `/api/v1/conversations/${first}`)).body.handoff).id as string;
    await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/accept`, {}, agentHeaders);
    await api(service.url, 'POST', `/api/v1/handoffs/${handoffId}/resolve`, {}, agentHeaders);
    expect((await api(service.url, 'POST', `/api/v1/conversations/${first}/rating`, { score: 2, comment: '太慢了' })).status).toBe(201);
    const second = (await api(service.url, 'POST', '/api/v1/conversations', { customer })).body.id as string;
    const now = (await api(service.url, 'POST', `/api/v1/conversations/${second}/messages`, { text: '转人工' })).body.handoff;

    const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, 'lead');
    await page.locator(`[data-testid="handoff-card"][data-handoff-id="${now.id as string}"]`).click();
    const item = page.getByTestId('history-item');
    await item.first().waitFor({ timeout: 10_000 });
    expect(await item.count()).toBe(1);
    expect(await item.getAttribute('data-conversation-id')).toBe(first);
    expect(await item.textContent()).toContain('我要退货');
    expect(await item.textContent()).toContain('已结束');
    expect(await page.getByTestId('history-rating').textContent()).toBe('★★☆☆☆太慢了');
  }, 60_000);
});
