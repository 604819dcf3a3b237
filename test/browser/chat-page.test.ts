import path from 'node:path';
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, useServiceAndBrowser } from '../support/browser.js';
import { agentHeaders, api, type TestService } from '../support/test-service.js';

let service: TestService;
let browser: Browser;

useServiceAndBrowser((started) => ({ service, browser } = started));

describe('the demo page in a real browser', () => {
  it('opens the chat widget on / and answers a Chinese question with its source', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${service.url}/`);
    await page.getByTestId('widget-launcher').click();
    const chat = page.frameLocator('[data-testid="widget-frame"]');
    await chat.getByTestId('msg').first().waitFor();
    await chat.getByTestId('chat-input').fill('发票怎么开？');
    await chat.getByTestId('chat-input').press('Enter');
    const answer = chat.locator('[data-testid="msg"][data-role="bot"]').nth(1);
    await answer.waitFor({ timeout: 10_000 });
    expect(await answer.textContent()).toMatch(/发票/);
    const sources = chat.getByTestId('citations').last();
    await sources.locator('summary').click();
    const sourceText = await sources.textContent();
    expect(sourceText).toMatch(/发票/);
    expect(sourceText).toMatch(/v1/);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'chat-answer-zh.png') });
    await page.close();
  });

  it('speaks English to an English browser and hands off on request', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    await page.goto(`${service.url}/embed.html`);
    await page.getByTestId('msg').first().waitFor();
    expect(await page.getByTestId('msg').first().textContent()).toMatch(/Hi, I'm the YouXuan Mall assistant/);
    await page.getByTestId('handoff-button').click();
    await page.getByTestId('queue-card').waitFor({ state: 'visible', timeout: 10_000 });
    const waiting = await api(service.url, 'GET', '/api/v1/handoffs?status=waiting', undefined, agentHeaders);
    expect(waiting.body.handoffs.length).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'chat-queued-en.png'), fullPage: true });
    await page.close();
  });
});
