import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { poll, shot, signInAgent, useServiceAndBrowser } from '../support/browser.js';
import { DEMO_PASSWORD, signIn } from '../support/agent-client.js';
import { api, type TestService, useTestService } from '../support/test-service.js';

let service: TestService;
let browser: Browser;

useServiceAndBrowser((started) => ({ service, browser } = started));


/** A web conversation of `name` handed off to 售前 (xiaowang's group). */
async function handedOff(name: string, on = service): Promise<{ conversationId: string; handoffId: string }> {
  const created = await api(on.url, 'POST', '/api/v1/conversations', { customer: { name } });
  const conversationId = created.body.id as string;
  const turn = await api(on.url, 'POST', `/api/v1/conversations/${conversationId}/messages`, { text: '转人工' });
  return { conversationId, handoffId: turn.body.handoff.id as string };
}

async function openConsole(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await signInAgent(page, service.url, username);
  return page;
}

/** Ends every open chat of earlier tests, so a test's 我的 holds only its own. */
async function clearDesk(): Promise<void> {
  const service$ = { authorization: `Bearer ${service.config.AGENT_TOKEN}` };
  for (const status of ['accepted', 'waiting']) {
    const listed = await api(service.url, 'GET', `/api/v1/handoffs?status=${status}`, undefined, service$);
    for (const handoff of listed.body.handoffs as Array<{ id: string }>) await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/resolve`, {}, service$);
  }
}

/** 小王's console with two chats of his own, accepted in it, on 我的 with the first one open. */
async function twoOfMine(context: BrowserContext, names: [string, string]) {
  await clearDesk();
  const page = await openConsole(context, 'xiaowang');
  const first = await handedOff(names[0]);
  const second = await handedOff(names[1]);
  await acceptIn(page, first.handoffId);
  await acceptIn(page, second.handoffId);
  await page.getByTestId('tab-mine').click();
  await page.locator(`[data-handoff-id="${first.handoffId}"]`).click();
  await poll(() => page.getByTestId('detail-title').textContent()).toBe(names[0]);
  return { page, first, second };
}

async function acceptIn(page: Page, handoffId: string): Promise<void> {
  await page.getByTestId('tab-waiting').click();
  await page.locator(`[data-handoff-id="${handoffId}"]`).click();
  await page.getByTestId('accept-button').click();
  await poll(() => page.getByTestId('detail-status').textContent()).toBe('进行中');
}

describe('canned responses in the composer', () => {
  it('opens on /, searches code and text, previews, picks with ↑/↓ + Enter, fills variables and keeps the draft', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await openConsole(context, 'xiaowang');
    const { handoffId, conversationId } = await handedOff('李四');
    await acceptIn(page, handoffId);
    const input = page.getByTestId('reply-input');
    const picker = page.getByTestId('canned-picker');
    const items = page.getByTestId('canned-item');

    // By content: two responses mention 查询; ↓ moves to the second, the preview follows.
    await input.fill('好的。');
    await input.press('End');
    await page.keyboard.type(' /查询');
    await picker.waitFor({ state: 'visible' });
    await poll(() => items.count()).toBe(2);
    expect(await items.nth(0).getAttribute('data-code')).toBe('wait');
    expect(await items.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await items.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('canned-preview').textContent()).toContain('订单号');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await shot(page, 'console-canned.png');
    // Enter picks (and sends nothing): the /query is replaced, the draft before it kept.
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'hidden' });
    expect(await input.inputValue()).toBe('好的。 麻烦您提供一下订单号，我马上为您查询物流进度。');
    const messages = async () => (await api(service.url, 'GET', `/api/v1/conversations/${conversationId}`)).body.messages as Array<{ role: string }>;
    expect((await messages()).some((message) => message.role === 'agent')).toBe(false);

    // By code, with variables, inserted at the cursor in the middle of the draft.
    await input.fill('结尾');
    await input.press('Home');
    await page.keyboard.type('/h');
    await poll(() => items.first().getAttribute('data-code')).toBe('hi');
    expect(await page.getByTestId('canned-preview').textContent()).toContain('您好 李四，我是客服 小王');
    // An IME still composing: its Enter commits the candidate, not the response.
    await input.evaluate((el) => el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true, cancelable: true })));
    expect(await picker.isVisible()).toBe(true);
    expect(await input.inputValue()).toBe('/h结尾');
    await page.keyboard.press('Enter');
    expect(await input.inputValue()).toBe('您好 李四，我是客服 小王，很高兴为您服务。结尾');

    // Esc closes and leaves what was typed; a / inside a word opens nothing.
    await input.fill('');
    await page.keyboard.type('/bye');
    await picker.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden' });
    expect(await input.inputValue()).toBe('/bye');
    await input.fill('');
    await page.keyboard.type('退款/退货');
    expect(await picker.isVisible()).toBe(false);
    // Nothing matching says so.
    await input.fill('');
    await page.keyboard.type('/zzzz');
    await poll(() => picker.textContent()).toContain('没有匹配的快捷回复');
    await context.close();
  });
});

describe('snooze (稍后处理), status filter and sort in the console', () => {
  it('snoozes from the menu (Alt+M, ↓, Enter), filters 进行中 / 稍后处理, wakes on a customer message and sorts by 最新消息', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
    const { page, first: a, second: b } = await twoOfMine(context, ['李雷', '韩梅梅']);
    const cardA = page.locator(`[data-handoff-id="${a.handoffId}"]`);
    const cardB = page.locator(`[data-handoff-id="${b.handoffId}"]`);

    // Alt+M opens the menu on its first choice; ↓ then Enter picks "1 小时后".
    await page.keyboard.press('Alt+KeyM');
    await page.getByTestId('snooze-menu').waitFor({ state: 'visible' });
    expect(await page.getByTestId('snooze-menu').textContent()).toBe('直到客户回复1 小时后明天 09:00');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByTestId('snooze-menu').waitFor({ state: 'hidden' });
    await poll(() => page.getByTestId('detail-snoozed').textContent()).toMatch(/^稍后处理至 \d{2}:\d{2}$/);
    await poll(() => cardA.getByTestId('snoozed-chip').count()).toBe(1);
    const stored = await api(service.url, 'GET', `/api/v1/handoffs/${a.handoffId}`, undefined, { authorization: `Bearer ${service.config.AGENT_TOKEN}` });
    const inAnHour = Date.parse(stored.body.handoff.snoozedUntil as string) - Date.now();
    expect(inAnHour).toBeGreaterThan(3_500_000);
    expect(inAnHour).toBeLessThanOrEqual(3_600_000);

    // 稍后处理 shows only A, 进行中 only B.
    await page.getByTestId('status-filter').selectOption('snoozed');
    await poll(() => page.getByTestId('handoff-card').count()).toBe(1);
    expect(await cardA.count()).toBe(1);
    await page.getByTestId('status-filter').selectOption('open');
    await poll(() => cardA.count()).toBe(0);
    expect(await cardB.count()).toBe(1);
    await shot(page, 'console-snoozed.png');

    // Until the customer replies, by click; their message wakes it live.
    await page.getByTestId('status-filter').selectOption('');
    await page.getByTestId('snooze-button').click();
    await page.getByTestId('snooze-reply').click();
    await poll(() => page.getByTestId('detail-snoozed').textContent()).toBe('稍后处理 · 等待客户回复');
    await api(service.url, 'POST', `/api/v1/conversations/${a.conversationId}/messages`, { text: '订单号是 12345' });
    await poll(() => cardA.getByTestId('snoozed-chip').count()).toBe(0);
    await poll(() => page.getByTestId('detail-snoozed').count()).toBe(0);
    expect(await page.locator('#detail-meta').textContent()).not.toContain('null');
    await page.getByTestId('status-filter').selectOption('snoozed');
    await poll(() => page.getByTestId('handoff-card').count()).toBe(0);
    await page.getByTestId('status-filter').selectOption('');

    // 最新消息 puts the newest customer message first; 等待最久 keeps the oldest first.
    const order = () => page.getByTestId('handoff-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-handoff-id')));
    await page.getByTestId('sort-order').selectOption('latest');
    await poll(order).toEqual([a.handoffId, b.handoffId]);
    await api(service.url, 'POST', `/api/v1/conversations/${b.conversationId}/messages`, { text: '在吗' });
    await poll(order).toEqual([b.handoffId, a.handoffId]);
    await page.getByTestId('sort-order').selectOption('longest');
    await poll(order).toEqual([a.handoffId, b.handoffId]);
    // In English.
    await page.getByTestId('lang-toggle').click();
    expect(await page.getByTestId('sort-order').locator('option:checked').textContent()).toBe('Longest waiting');
    expect(await page.getByTestId('snooze-button').textContent()).toBe('Snooze');
    await context.close();
  });
});

describe('keyboard shortcuts', () => {
  it('moves with Alt+J / Alt+K, focuses with Alt+L / Alt+P / Ctrl+K, toggles the panel with Alt+O, resolves and opens the next with Ctrl+Alt+E, and lists them on ?', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const { page, first, second } = await twoOfMine(context, ['赵一', '钱二']);
    const selected = () => page.locator('[data-testid="handoff-card"][aria-current="true"]').getAttribute('data-handoff-id');

    await page.keyboard.press('Alt+KeyK');
    await poll(selected).toBe(second.handoffId);
    await page.keyboard.press('Alt+KeyJ');
    await poll(selected).toBe(first.handoffId);
    await poll(() => page.getByTestId('detail-title').textContent()).toBe('赵一');

    await page.keyboard.press('Alt+KeyL');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reply-input');
    await page.keyboard.press('Alt+KeyP');
    await poll(() => page.locator('#reply-form').getAttribute('data-mode')).toBe('note');
    await page.keyboard.press('Alt+KeyP');
    await poll(() => page.locator('#reply-form').getAttribute('data-mode')).toBe('reply');
    await page.keyboard.press('Control+KeyK');
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe('list-search');
    await page.keyboard.type('钱二');
    await poll(() => page.getByTestId('handoff-card').count()).toBe(1);
    await page.getByTestId('list-search').fill('');
    await poll(() => page.getByTestId('handoff-card').count()).toBe(2);

    await page.keyboard.press('Alt+KeyO');
    await poll(() => page.locator('#context').isVisible()).toBe(false);
    await page.keyboard.press('Alt+KeyO');
    await poll(() => page.locator('#context').isVisible()).toBe(true);

    // While an IME composes nothing fires.
    await page.evaluate(() => document.dispatchEvent(new KeyboardEvent('keydown', { code: 'KeyE', key: 'e', altKey: true, ctrlKey: true, isComposing: true, bubbles: true })));
    expect(await page.getByTestId('detail-status').textContent()).toBe('进行中');
    // Ctrl+Alt+E resolves 赵一 and opens 钱二.
    await page.locator('body').click({ position: { x: 700, y: 20 } });
    await page.keyboard.press('Control+Alt+KeyE');
    await poll(() => page.getByTestId('detail-title').textContent()).toBe('钱二');
    expect((await api(service.url, 'GET', `/api/v1/handoffs/${first.handoffId}`, undefined, { authorization: `Bearer ${service.config.AGENT_TOKEN}` })).body.handoff.status).toBe('resolved');

    // Alt+T opens the transfer dialog; Alt+B returns 钱二 to the bot.
    await page.keyboard.press('Alt+KeyT');
    await page.getByTestId('transfer-dialog').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.getByTestId('transfer-dialog').waitFor({ state: 'hidden' });
    await page.keyboard.press('Alt+KeyB');
    await poll(() => page.getByTestId('detail-status').textContent()).toBe('已退回机器人');

    // The ? sheet, in both languages.
    await page.locator('body').click({ position: { x: 700, y: 20 } });
    await page.keyboard.press('?');
    await page.locator('#help-dialog').waitFor({ state: 'visible' });
    const sheet = page.locator('#help-keys');
    for (const text of ['Alt+J', '上一个会话', 'Alt+M', '稍后处理菜单', 'Alt+O', 'Ctrl+Alt+E / ⌘+⌥+E', '结束会话并打开下一个', 'Ctrl+K / ⌘+K', '快捷回复']) {
      expect(await sheet.textContent()).toContain(text);
    }
    await shot(page, 'console-shortcuts.png');
    await page.getByRole('button', { name: '知道了' }).click();
    await page.getByTestId('lang-toggle').click();
    expect(await sheet.textContent()).toContain('End and open the next');
    expect(await sheet.textContent()).toContain('Snooze menu');
    await context.close();
  });
});

describe('the desk after sign-in, while its event stream is still connecting', () => {
  it('shows a chat queued before the stream opened, and loads the lists without a stream that never opens', async () => {
    await clearDesk();
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    // Hold the stream back once the console asks for it: a chat is queued meanwhile.
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let asked!: () => void;
    const streamAsked = new Promise<void>((resolve) => { asked = resolve; });
    await page.route('**/api/v1/handoffs/events', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    await page.goto(`${service.url}/agent`);
    await page.getByTestId('login-username').fill('xiaowang');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await streamAsked;
    const queued = await handedOff('王五');
    release();
    await page.getByTestId('tab-waiting').click();
    await page.locator(`[data-handoff-id="${queued.handoffId}"]`).waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('#workspace[data-live="true"]').waitFor({ state: 'attached' });

    // A stream that never opens: the lists still load, and the desk is not marked live.
    const blocked = await context.newPage();
    await blocked.route('**/api/v1/handoffs/events', (route) => route.abort());
    await blocked.goto(`${service.url}/agent`);
    await blocked.getByTestId('tab-waiting').click();
    await blocked.locator(`[data-handoff-id="${queued.handoffId}"]`).waitFor({ state: 'visible', timeout: 15_000 });
    expect(await blocked.locator('#workspace').getAttribute('data-live')).toBeNull();
    await context.close();
  });
});

describe('a timed snooze that runs out, in the console', () => {
  let sweeping: TestService;
  useTestService((started) => (sweeping = started), { HANDOFF_SWEEP_INTERVAL_MS: '100' });

  it('drops its 稍后处理 mark by itself when the time is up, and says so', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInAgent(page, sweeping.url, 'xiaowang');
    const { handoffId } = await handedOff('孙七', sweeping);
    const xiaowang = await signIn(sweeping.url, 'xiaowang');
    expect((await xiaowang.call('POST', `/api/v1/handoffs/${handoffId}/accept`)).status).toBe(200);
    expect((await xiaowang.call('POST', `/api/v1/handoffs/${handoffId}/snooze`, { until: new Date(Date.now() + 2000).toISOString() })).status).toBe(200);
    await page.getByTestId('tab-mine').click();
    const card = page.locator(`[data-handoff-id="${handoffId}"]`);
    await card.getByTestId('snoozed-chip').waitFor({ state: 'visible' });
    await poll(() => page.locator('#announcer').textContent()).toBe('稍后处理时间到：孙七');
    expect(await card.getByTestId('snoozed-chip').count()).toBe(0);
    await context.close();
  });
});
