import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { DEMO_PASSWORD } from './agent-client.js';
import { startTestService, type TestService } from './test-service.js';

export const ARTIFACTS_DIR = path.resolve('test-artifacts');

/** Launches Debian's Chromium headless; never downloads a browser. */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * For a browser test file: starts the service and Chromium before its tests and closes both after
 * them; `ready` receives them (assign them to the file's own variables).
 */
export function useServiceAndBrowser(ready: (started: { service: TestService; browser: Browser }) => void): void {
  let started: { service: TestService; browser: Browser } | undefined;
  beforeAll(async () => {
    started = { service: await startTestService(), browser: await launchBrowser() };
    ready(started);
  });
  afterAll(async () => {
    await started?.browser.close();
    await started?.service.destroy();
  });
}

/** `expect.poll` with room for a loaded machine (scrypt sign-in, SSE round trips). */
export const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000, interval: 50 });

/** A screenshot under `test-artifacts/`. */
export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS_DIR, name), fullPage: false });

/**
 * Signs `username` in at the console of `baseUrl` with the demo password and waits until the desk
 * is live: its event stream open and its lists loaded after it, so a chat queued next shows up.
 */
export async function signInAgent(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/agent`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('agent-name').waitFor({ state: 'visible' });
  await page.locator('#workspace[data-live="true"]').waitFor({ state: 'attached', timeout: 15_000 });
}
