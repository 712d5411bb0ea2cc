import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Browser, chromium, Page } from 'playwright-core';
import type { TestApp, TestUser } from './test-app';

// Debian's Chromium (apt-get install chromium): .ci/run installs it when it is missing.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

/** Debian's headless Chromium, and the test app listening on a port of its own for it to visit. */
export async function launchBrowser(t: TestApp): Promise<{ browser: Browser; baseUrl: string }> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No browser at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  await t.app.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  return { browser: await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }), baseUrl };
}

/** Signs in the way a person does: the sign-in page, its form, its button. */
export async function signInThroughBrowser(page: Page, baseUrl: string, user: TestUser): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await page.click('form[action="/sign-in"] button[type="submit"]');
  await page.waitForURL(`${baseUrl}/`);
  await page.getByText(`Signed in as ${user.name}`).waitFor();
}
