import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, launchBrowser } from '../support/browser.js';
import { agentHeaders, api, startTestService, type TestService } from '../support/test-service.js';

let service: TestService;
let browser: Browser;
let host: Server;
let hostUrl: string;

/** A third-party page on another port: it knows nothing of us but one script tag. */
function hostPage(widgetUrl: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Some shop</title>
  <style>body { font-size: 24px; margin: 0; } .page { height: 2000px; }</style></head>
  <body><div class="page"><h1>别人的网站</h1><p>Host content</p></div>
  <script src="${widgetUrl}/widget.js" async></script></body></html>`;
}

beforeAll(async () => {
  service = await startTestService();
  browser = await launchBrowser();
  host = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(hostPage(service.url));
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  await service?.destroy();
});

describe('the website widget on another site', () => {
  it('runs a whole conversation: answer, handoff, live agent reply, reconnection, rating', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(hostUrl);
    const launcher = page.getByTestId('widget-launcher');
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.getAttribute('aria-label')).toBe('打开在线客服');
    // Nothing is loaded until the visitor shows interest.
    expect(await page.locator('[data-testid="widget-frame"]').count()).toBe(0);
    await launcher.click();
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    const chat = page.frameLocator('[data-testid="widget-frame"]');
    await chat.getByTestId('msg').first().waitFor();

    // Enter while a Chinese input method is composing must not send the pinyin.
    await chat.getByTestId('chat-input').fill('tuihuo');
    await chat.getByTestId('chat-input').evaluate((input) => {
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
    });
    await page.waitForTimeout(300);
    expect(await chat.locator('[data-testid="msg"][data-role="customer"]').count()).toBe(0);

    await chat.getByTestId('chat-input').fill('退款多久能到账');
    await chat.getByTestId('chat-input').press('Enter');
    await chat.locator('[data-testid="msg"][data-role="bot"]').nth(1).waitFor({ timeout: 10_000 });
    expect(await chat.getByTestId('citations').last().textContent()).toMatch(/KB v1/);
    await chat.getByTestId('quick-not-helpful').click();
    await chat.locator('[data-testid="msg"][data-role="customer"]').nth(1).waitFor();

    await chat.getByTestId('handoff-button').click();
    await chat.getByTestId('queue-card').waitFor({ state: 'visible', timeout: 10_000 });
    const conversationId = await chat.locator('body').evaluate(() => sessionStorage.getItem('kefu.conversationId'));
    const waiting = await api(service.url, 'GET', '/api/v1/handoffs?status=waiting', undefined, agentHeaders);
    const handoff = waiting.body.handoffs.find((item: { conversationId: string }) => item.conversationId === conversationId);
    expect(handoff).toBeTruthy();
    expect((await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/accept`, { agentName: '小李' }, agentHeaders)).status).toBe(200);
    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: '您好，我是小李，退款已经加急处理。' }, agentHeaders);
    await chat.locator('[data-testid="msg"][data-role="agent"]').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-agent-reply.png') });

    // Closed panel: a new agent message shows as an unread badge on the launcher; Esc closes and returns focus.
    await chat.getByTestId('chat-input').press('Escape');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-kefu-widget') !== null)).toBe(true);
    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: '还在吗？' }, agentHeaders);
    await page.getByTestId('widget-badge').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId('widget-badge').textContent()).toBe('1');
    await launcher.click();
    await page.getByTestId('widget-badge').waitFor({ state: 'hidden' });

    // The connection drops (the server cuts every open stream); an agent message sent before the
    // widget reconnects arrives after reconnection, nothing lost.
    service.server.closeAllConnections();
    await page.waitForTimeout(100);
    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/messages`, { text: '断线期间的消息' }, agentHeaders);
    await chat.getByTestId('reconnect-banner').waitFor({ state: 'visible', timeout: 15_000 });
    await chat.getByText('断线期间的消息').waitFor({ timeout: 15_000 });
    await chat.getByTestId('reconnect-banner').waitFor({ state: 'hidden', timeout: 15_000 });

    await api(service.url, 'POST', `/api/v1/handoffs/${handoff.id}/resolve`, {}, agentHeaders);
    await chat.getByTestId('rating-card').waitFor({ state: 'visible', timeout: 10_000 });
    await chat.getByTestId('rating-5').click();
    await chat.getByTestId('rating-submit').click();
    await chat.getByTestId('rating-thanks').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-rated.png') });
    await context.close();
  });

  it('takes the whole screen on a phone and keeps the host page untouched', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(hostUrl);
    const fontBefore = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    await page.getByTestId('widget-launcher').click();
    const frame = page.locator('[data-testid="widget-frame"]');
    await frame.waitFor();
    const box = await frame.boundingBox();
    expect(box?.width).toBe(390);
    expect(box?.height).toBeGreaterThan(800);
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe(fontBefore);
    const chat = page.frameLocator('[data-testid="widget-frame"]');
    await chat.getByTestId('msg').first().waitFor();
    // The host page says zh-CN; the widget follows the page, not the browser.
    expect(await chat.getByTestId('msg').first().textContent()).toMatch(/您好/);
    expect(await chat.getByTestId('chat-input').evaluate((input) => getComputedStyle(input).fontSize)).toBe('16px');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-mobile.png') });
    // Full screen hides the launcher, so the panel has its own close button.
    await chat.getByTestId('widget-close').click();
    await page.getByTestId('widget-launcher').waitFor({ state: 'visible' });
    expect(await frame.isVisible()).toBe(false);
    await context.close();
  });
});
