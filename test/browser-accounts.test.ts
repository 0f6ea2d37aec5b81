import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestApp, type TestApp } from './helpers/app.js';
import { browserTestsEnabled, launchBrowser } from './helpers/browser.js';

describe.runIf(browserTestsEnabled)('in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('a visitor registers, sees themself logged in, and logs out', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(base + '/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      'How vendors really treat',
    );
    await expect(page.getByText('No stories yet — be the first').isVisible()).resolves.toBe(true);

    await page.getByRole('navigation').getByRole('link', { name: 'Register' }).click();
    await page.getByLabel('Username').fill('browser_user');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(base + '/welcome');
    const nav = page.getByRole('navigation');
    await expect(nav.getByRole('link', { name: /browser_user/ }).isVisible()).resolves.toBe(true);

    await nav.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(base + '/');
    await expect(nav.getByRole('link', { name: 'Log in' }).isVisible()).resolves.toBe(true);
    await expect(page.getByText('browser_user').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows form errors beside the field, keeping the input', async () => {
    const page = await browser.newPage();
    await page.goto(base + '/register');
    await page.getByLabel('Username').fill('x');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.locator('#username-error').textContent()).resolves.toContain(
      'Choose a username',
    );
    await expect(page.getByLabel('Username').inputValue()).resolves.toBe('x');
    await page.close();
  });
});
