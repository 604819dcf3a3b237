import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, launchBrowser } from '../support/browser.js';
import { scriptedModel, startFakeOpenAi, type ChatReply, type FakeOpenAi } from '../support/fake-openai/index.js';
import { api, startTestService, type TestService } from '../support/test-service.js';

let fake: FakeOpenAi;
let service: TestService;
let browser: Browser;
let context: BrowserContext | undefined;

/** What the model writes as the `answer` of a grounded answer, and what it does instead. */
let modelAnswer = '';
let grounded: ((ids: string[]) => ChatReply) | undefined;
const cited: string[] = [];

// These tests ask standalone questions: the default rewrite (the latest message itself) serves.
const modelReply = scriptedModel((ids) => {
  if (grounded) return grounded(ids);
  cited.push(ids[0] as string);
  return { json: { covered: true, answer: modelAnswer, citations: [ids[0]] } };
});

beforeAll(async () => {
  fake = await startFakeOpenAi();
  fake.respondWith(modelReply);
  service = await startTestService({
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_API_KEY: 'test-key',
    LLM_TIMEOUT_MS: '20000',
    LLM_MAX_RETRIES: '0',
    LLM_BREAKER_FAILURES: '100',
  });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await service?.destroy();
  await fake?.close();
});
beforeEach(() => {
  // A slow model, two characters at a time, so the page has time to show the answer growing.
  fake.slow({ betweenChunksMs: 60 });
  fake.chunkChars = 2;
  grounded = undefined;
  modelAnswer = '';
  cited.length = 0;
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});

async function openChat(viewport = { width: 420, height: 720 }): Promise<Page> {
  context = await browser.newContext({ locale: 'zh-CN', viewport });
  const page = await context.newPage();
  await page.goto(`${service.url}/embed.html`);
  await page.getByTestId('msg').first().waitFor();
  await page.locator('#chat[data-status="bot"]').waitFor();
  return page;
}

/**
 * Starts recording, in the page, the text length of the streaming bubble every 20 ms until it is
 * gone (replaced by the stored message); resolves to those lengths.
 */
function recordStreamingLengths(page: Page): Promise<number[]> {
  return page.evaluate(() => new Promise<number[]>((resolve, reject) => {
    const lengths: number[] = [];
    const started = Date.now();
    const timer = setInterval(() => {
      const text = document.querySelector('[data-streaming="true"] .msg-text');
      if (text) lengths.push(text.textContent?.length ?? 0);
      else if (lengths.length > 0 || Date.now() - started > 15_000) {
        clearInterval(timer);
        if (lengths.length > 0) resolve(lengths);
        else reject(new Error('no streaming bubble appeared'));
      }
    }, 20);
  }));
}

async function ask(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-input').press('Enter');
}

async function storedMessages(page: Page): Promise<Array<{ seq: number; role: string; text: string; citations?: Array<{ entryId: string; title: string }> }>> {
  const id = await page.evaluate(() => sessionStorage.getItem('kefu.conversationId'));
  return (await api(service.url, 'GET', `/api/v1/conversations/${id}`)).body.messages;
}

const bots = (page: Page) => page.locator('[data-testid="msg"][data-role="bot"]');

describe('streamed answers in the customer chat', () => {
  it('shows the answer growing in an AI bubble, then the stored answer with its sources', async () => {
    modelAnswer = '退货运费这样算：如果是商品质量问题，来回运费都由我们承担；如果是七天无理由退货，寄回的运费需要您自己承担，我们寄出的运费不退。';
    const page = await openChat();
    const lengths = recordStreamingLengths(page);
    await ask(page, '退货的运费谁出');
    // Dots first, well within 300 ms, while retrieval runs and the model starts.
    await page.getByTestId('typing').waitFor({ state: 'visible', timeout: 300 });

    const draft = page.locator('[data-testid="msg"][data-role="bot"][data-streaming="true"]');
    await draft.waitFor({ timeout: 10_000 });
    expect(await draft.getAttribute('aria-busy')).toBe('true');
    expect(await draft.locator('.ai-badge').textContent()).toBe('AI');
    // The draft sits under the question, and the dots give way to it.
    expect(await page.locator('#log [data-testid="msg"]').last().getAttribute('data-streaming')).toBe('true');
    expect(await page.getByTestId('typing').isVisible()).toBe(false);
    await page.waitForFunction(() => (document.querySelector('[data-streaming="true"] .msg-text')?.textContent?.length ?? 0) >= 20);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-streaming-partial.png') });

    // (a) Partial text first, growing piece by piece, never the whole answer at once.
    const seen = await lengths;
    const growth = [...new Set(seen)];
    expect(growth.length).toBeGreaterThan(5);
    expect(growth).toEqual([...growth].sort((a, b) => a - b));
    expect(growth[0]).toBeLessThan(modelAnswer.length / 2);

    // (b) One bot bubble with the model's whole text and its sources; nothing busy or doubled.
    const answer = bots(page).nth(1);
    await answer.locator('[data-testid="citations"]').waitFor();
    expect(await answer.locator('.msg-text').textContent()).toBe(modelAnswer);
    expect(await answer.getAttribute('aria-busy')).toBeNull();
    expect(await answer.getAttribute('data-streaming')).toBeNull();
    const stored = (await storedMessages(page)).filter((message) => message.role === 'bot').at(-1);
    expect(stored?.text).toBe(modelAnswer);
    expect(await answer.getAttribute('data-seq')).toBe(String(stored?.seq));
    expect(stored?.citations?.map((citation) => citation.entryId)).toEqual([cited[0]]);
    await answer.locator('[data-testid="citations"] summary').click();
    const sources = await answer.getByTestId('citations').textContent();
    expect(sources).toContain(stored?.citations?.[0]?.title);
    expect(sources).toMatch(/KB v1/);
    await page.getByTestId('quick-helpful').waitFor();
    expect(await page.getByTestId('typing').isVisible()).toBe(false);
    // The live events stream carries the same messages: give it time, then count again.
    await page.waitForTimeout(500);
    expect(await bots(page).count()).toBe(2);
    expect(await page.locator('[data-testid="msg"][data-role="customer"]').count()).toBe(1);
    expect(await page.locator('[aria-busy="true"], [data-streaming]').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-streaming.png') });
  });

  it('leaves a reader who scrolled up where they are and offers 新消息 ↓', async () => {
    modelAnswer = '退款会在审核通过后原路退回：支付宝和微信支付一般一到三个工作日到账，银行卡一般三到七个工作日到账，信用卡以发卡行入账时间为准。如果超过时间还没有收到，请提供订单号，我们帮您查询。';
    const page = await openChat({ width: 400, height: 520 });
    await ask(page, '退款多久能到账');
    await page.getByTestId('quick-helpful').waitFor({ timeout: 20_000 });
    const lengths = recordStreamingLengths(page);
    await ask(page, '退货的运费谁出');
    await page.locator('[data-streaming="true"]').waitFor({ timeout: 10_000 });
    const scroller = page.locator('#scroller');
    await scroller.evaluate((element) => { element.scrollTop = 0; element.dispatchEvent(new Event('scroll')); });
    const before = await page.evaluate(() => document.querySelector('[data-streaming="true"] .msg-text')?.textContent?.length ?? 0);
    await page.waitForFunction((length) => (document.querySelector('[data-streaming="true"] .msg-text')?.textContent?.length ?? 0) > length + 10, before);
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(0);
    expect(await page.locator('#jump').isVisible()).toBe(true);
    await lengths;
    await page.getByTestId('quick-helpful').waitFor({ timeout: 20_000 });
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(0);
    await page.locator('#jump').click();
    expect(await scroller.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight)).toBeLessThan(2);
    expect(await bots(page).count()).toBe(3);
  });

  it('replaces a streamed draft the server did not keep with the stored KB answer', async () => {
    // The model writes a good part of an answer, then breaks its JSON: the server answers from the KB.
    grounded = () => ({ text: '{"covered":true,"answer":"这是模型写到一半的回答，后面的格式坏掉了，所以不会被采用' });
    const page = await openChat();
    const lengths = recordStreamingLengths(page);
    await ask(page, '退款多久到账');
    expect((await lengths).length).toBeGreaterThan(0);
    const answer = bots(page).nth(1);
    await answer.locator('[data-testid="citations"]').waitFor({ timeout: 10_000 });
    const stored = (await storedMessages(page)).filter((message) => message.role === 'bot').at(-1);
    expect(stored?.citations?.[0]?.entryId).toBe('refund-timeline');
    expect(await answer.locator('.msg-text').textContent()).toBe(stored?.text);
    expect(await answer.textContent()).not.toContain('模型写到一半');
    await page.waitForTimeout(300);
    expect(await bots(page).count()).toBe(2);
    expect(await page.locator('[data-streaming]').count()).toBe(0);
  });

  it('keeps the error box with 重试 and 转人工 when the stream fails, and retries', async () => {
    const page = await openChat();
    // A stream that breaks after one piece.
    await page.route('**/api/v1/conversations/*/messages', (route) => route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream; charset=utf-8' },
      body: 'retry: 2000\n\nevent: delta\ndata: {"text":"半句"}\n\nevent: error\ndata: {"error":{"code":"internal_error","message":"internal error"}}\n\n',
    }));
    await ask(page, '运费多少');
    await page.getByTestId('chat-error').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId('chat-retry').isVisible()).toBe(true);
    expect(await page.getByTestId('error-handoff').isVisible()).toBe(true);
    expect(await page.getByTestId('msg-resend').isVisible()).toBe(true);
    expect(await page.locator('[data-streaming]').count()).toBe(0);
    expect(await page.getByTestId('typing').isVisible()).toBe(false);
    expect(await bots(page).count()).toBe(1);

    await page.unroute('**/api/v1/conversations/*/messages');
    modelAnswer = '运费规则：订单满 99 元包邮，不满 99 元收取 8 元运费。';
    await page.getByTestId('chat-retry').click();
    const answer = bots(page).nth(1);
    await answer.locator('[data-testid="citations"]').waitFor({ timeout: 10_000 });
    expect(await answer.locator('.msg-text').textContent()).toBe(modelAnswer);
    expect(await page.getByTestId('chat-error').isVisible()).toBe(false);
    expect(await page.locator('[data-testid="msg"][data-role="customer"]').count()).toBe(1);
  });

  it('reads the event stream however the body is split into chunks', async () => {
    const page = await openChat();
    // Source text, not a function: the test runner would rewrite a function's import().
    const events = await page.evaluate<Array<{ event: string; data: string }>>(`(async () => {
      const { SseParser } = await import('/chat/stream.js');
      const body = 'retry: 2000\\r\\n\\r\\n: ping\\n\\nevent: delta\\ndata: {"text":"你好"}\\r\\n\\r\\nevent: reply\\ndata: {"a":\\ndata: 1}\\n\\ndata:plain\\n\\n';
      const out = [];
      // Every split point, including between \\r and \\n.
      for (let cut = 0; cut <= body.length; cut += 1) {
        const parser = new SseParser();
        out.push(...parser.push(body.slice(0, cut)), ...parser.push(body.slice(cut)));
      }
      return out;
    })()`);
    const once = [
      { event: 'delta', data: '{"text":"你好"}' },
      { event: 'reply', data: '{"a":\n1}' },
      { event: 'message', data: 'plain' },
    ];
    expect(events.length).toBeGreaterThan(90 * 3);
    expect(events.length % 3).toBe(0);
    for (let index = 0; index < events.length; index += 3) expect(events.slice(index, index + 3)).toEqual(once);
  });

  // Last: failNext leaves unused failures for later calls.
  it('still answers from the KB when the model fails', async () => {
    modelAnswer = '这段模型回答不应出现';
    const page = await openChat();
    fake.failNext(5, 500);
    await ask(page, '退款多久到账');
    const answer = bots(page).nth(1);
    await answer.locator('[data-testid="citations"]').waitFor({ timeout: 10_000 });
    const stored = (await storedMessages(page)).filter((message) => message.role === 'bot').at(-1);
    expect(stored?.citations?.[0]?.entryId).toBe('refund-timeline');
    expect(await answer.locator('.msg-text').textContent()).toBe(stored?.text);
    expect(stored?.text).not.toContain(modelAnswer);
    expect(await page.getByTestId('chat-error').isVisible()).toBe(false);
    expect(await page.locator('[data-streaming]').count()).toBe(0);
    expect(await answer.getAttribute('aria-busy')).toBeNull();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'widget-streaming-fallback.png') });
  });
});
