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

/**
 * A page whose CSS reaches for everything: inherited fonts, all buttons and frames, and a
 * transform on every child of <body>, which would make the widget's own element the containing
 * block of its `position: fixed` launcher (pushing it to the end of the page) if it applied.
 */
function hostilePage(widgetUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hostile shop</title>
  <style>
    * { font: 40px/3 serif !important; box-sizing: content-box !important; color: red !important; }
    body { margin: 0; }
    body > * { position: relative !important; transform: translateX(0) !important; z-index: 1 !important; }
    body > :last-child { display: none !important; }
    button { width: 300px !important; height: 12px !important; background: red !important; }
    iframe { display: none !important; }
    .page { height: 3000px; }
  </style></head>
  <body><div class="page"><h1>A shop with heavy-handed CSS</h1></div><script src="${widgetUrl}/widget.js" async></script></body></html>`;
}

beforeAll(async () => {
  service = await startTestService();
  browser = await launchBrowser();
  host = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(request.url?.startsWith('/hostile') ? hostilePage(service.url) : hostPage(service.url));
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
    expect(await page.locator('[role="dialog"]').getAttribute('aria-modal')).toBe('false');
    const chat = page.frameLocator('[data-testid="widget-frame"]');
    await chat.getByTestId('msg').first().waitFor();

    // Enter while a Chinese input method is composing must not send the pinyin, however the
    // browser orders the events: isComposing set (Chrome, Firefox), keyCode 229 only (older
    // WebKit), or the Enter that confirms the candidate right after compositionend (Safari).
    const input = chat.getByTestId('chat-input');
    await input.fill('tuihuo');
    const enters = await input.evaluate((element) => {
      const enter = (init: KeyboardEventInit & { keyCode?: number }) => {
        const event = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, ...init });
        if (init.keyCode !== undefined) Object.defineProperty(event, 'keyCode', { value: init.keyCode });
        element.dispatchEvent(event);
        return event.defaultPrevented;
      };
      const prevented = [enter({ isComposing: true }), enter({ keyCode: 229 })];
      element.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
      prevented.push(enter({}));
      element.dispatchEvent(new CompositionEvent('compositionend', { data: '退货' }));
      prevented.push(enter({}));
      return prevented;
    });
    // None was taken as "send" (a send calls preventDefault to keep the line break out).
    expect(enters).toEqual([false, false, false, false]);
    await page.waitForTimeout(300);
    expect(await chat.locator('[data-testid="msg"][data-role="customer"]').count()).toBe(0);
    expect(await input.inputValue()).toBe('tuihuo');

    await input.fill('退款多久能到账');
    await input.press('Enter');
    await chat.locator('[data-testid="msg"][data-role="bot"]').nth(1).waitFor({ timeout: 10_000 });
    expect(await input.inputValue()).toBe('');
    expect(await chat.getByTestId('citations').last().textContent()).toMatch(/KB v1/);
    // Quick replies under the answer: 有帮助 / 没帮助; after 没帮助 (a failed turn), 没解决，转人工.
    expect(await chat.getByTestId('quick-helpful').textContent()).toBe('有帮助');
    await chat.getByTestId('quick-not-helpful').click();
    await chat.locator('[data-testid="msg"][data-role="customer"]').nth(1).waitFor();
    await chat.locator('[data-testid="msg"][data-role="bot"]').nth(2).waitFor({ timeout: 10_000 });
    const toPerson = chat.getByTestId('quick-handoff');
    await toPerson.waitFor({ timeout: 10_000 });
    expect(await toPerson.textContent()).toBe('没解决，转人工');
    expect(await chat.getByTestId('quick-helpful').count()).toBe(0);
    await toPerson.click();
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
    // Esc reaches the host page by postMessage, so the panel closes a moment after the key press.
    await chat.getByTestId('chat-input').press('Escape');
    await expect.poll(() => launcher.getAttribute('aria-expanded'), { timeout: 5_000 }).toBe('false');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-kefu-widget') !== null), { timeout: 5_000 })
      .toBe(true);
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
    expect((await api(service.url, 'GET', `/api/v1/handoffs/${handoff.id}`, undefined, agentHeaders)).body.rating).toEqual({ score: 5, comment: null });
    // Everything the agent wrote reached the customer exactly once, the drop included.
    const agentTexts = await chat.locator('[data-testid="msg"][data-role="agent"] .msg-text').allTextContents();
    expect(agentTexts).toEqual(['您好，我是小李，退款已经加急处理。', '还在吗？', '断线期间的消息']);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-rated.png') });
    await context.close();
  });

  it("keeps its launcher and panel intact on a page whose CSS targets everything, speaks the page's language, adds no CSS", async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1200, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${hostUrl}hostile`);
    const sheetsBefore = await page.evaluate(() => ({ sheets: document.styleSheets.length, head: document.head.children.length }));
    const launcher = page.getByTestId('widget-launcher');
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-label')).toBe('Open chat with us');
    // Everything of ours is inside the shadow root; the page sees one element.
    expect(await page.evaluate(() => {
      const widget = document.querySelector('[data-kefu-widget]');
      return { shadow: widget?.shadowRoot !== null, lightChildren: widget?.children.length, launcherInLightDom: document.querySelector('.launcher') !== null };
    })).toEqual({ shadow: true, lightChildren: 0, launcherInLightDom: false });
    // 60 px, 20 px from the bottom right corner of the viewport, and on top (it gets the click).
    expect(await launcher.boundingBox()).toEqual({ x: 1200 - 20 - 60, y: 800 - 20 - 60, width: 60, height: 60 });
    expect(await page.evaluate(() => document.elementFromPoint(1200 - 50, 800 - 50)?.hasAttribute('data-kefu-widget'))).toBe(true);
    await launcher.click();
    const frame = page.locator('[data-testid="widget-frame"]');
    await frame.waitFor();
    const box = await frame.boundingBox();
    expect(box).toMatchObject({ x: 1200 - 20 - 400, width: 400 });
    expect(box!.y + box!.height).toBe(800 - 20 - 84);
    const chat = page.frameLocator('[data-testid="widget-frame"]');
    await chat.getByTestId('msg').first().waitFor();
    // An English page in a Chinese browser: the widget speaks the page's language.
    expect(await launcher.getAttribute('aria-label')).toBe('Close chat');
    expect(await chat.getByTestId('msg').first().textContent()).toMatch(/Hi, I'm the YouXuan Mall assistant/);
    // The page's fonts and colours stop at the frame.
    expect(await chat.getByTestId('chat-input').evaluate((input) => getComputedStyle(input).fontFamily)).not.toBe('serif');
    expect(await chat.getByTestId('msg').first().evaluate((message) => getComputedStyle(message).color)).not.toBe('rgb(255, 0, 0)');
    expect(await page.evaluate(() => ({ sheets: document.styleSheets.length, head: document.head.children.length }))).toEqual(sheetsBefore);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-hostile-page.png') });
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
    // The page behind does not scroll while the chat covers it, and the launcher is out of the way.
    expect(await page.evaluate(() => document.documentElement.style.overflow)).toBe('hidden');
    expect(await page.getByTestId('widget-launcher').isVisible()).toBe(false);
    expect(await page.locator('[role="dialog"]').getAttribute('aria-modal')).toBe('true');
    // No keyboard pops up by itself on a phone.
    expect(await chat.locator('body').evaluate(() => document.activeElement?.id)).not.toBe('chat-input');
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-mobile.png') });
    // Full screen hides the launcher, so the panel has its own close button.
    await chat.getByTestId('widget-close').click();
    await page.getByTestId('widget-launcher').waitFor({ state: 'visible' });
    expect(await frame.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.style.overflow)).toBe('');
    await context.close();
  });
});
