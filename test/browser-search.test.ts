import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, type TestApp } from './helpers/app.js';
import { browserTestsEnabled, launchBrowser } from './helpers/browser.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

describe.runIf(browserTestsEnabled)('searching and replying in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const PASSWORD = 'a long enough password';
  beforeAll(async () => {
    t = await createTestApp();
    const author = new TestClient(t.app);
    await registerMember(author, 'story_owner', PASSWORD);
    await postStory(author, {
      title: 'Marketing funds never paid out',
      body: 'The MDF claim vanished after the event.',
      vendors: 'Fund Vendor',
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function login(page: Page, username: string) {
    await page.goto(base + '/login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(base + '/');
  }

  it('search from the header, open a result, reply; the author sees the notification', async () => {
    const replierPage = await (await browser.newContext()).newPage();
    await replierPage.goto(base + '/register');
    await replierPage.getByLabel('Username').fill('helpful_reader');
    await replierPage.getByLabel('Password').fill(PASSWORD);
    await replierPage.getByRole('button', { name: 'Create account' }).click();
    await replierPage.waitForURL(base + '/welcome');

    await replierPage.getByRole('searchbox', { name: 'Search stories' }).fill('marketing funds');
    await replierPage.getByRole('search').first().getByRole('button', { name: 'Search' }).click();
    await replierPage.waitForURL(/\/search\?q=marketing/);
    await replierPage.getByRole('link', { name: 'Marketing funds never paid out' }).click();
    await replierPage
      .getByRole('textbox', { name: 'Reply (Markdown)' })
      .fill('We had the same with their MDF portal.');
    await replierPage.getByRole('button', { name: 'Post reply' }).click();
    await expect(
      replierPage.getByText('We had the same with their MDF portal.').isVisible(),
    ).resolves.toBe(true);

    const authorPage = await (await browser.newContext()).newPage();
    await login(authorPage, 'story_owner');
    const link = authorPage.getByRole('navigation').getByRole('link', { name: /Notifications/ });
    await expect(link.textContent()).resolves.toContain('1');
    await link.click();
    await expect(authorPage.getByText('helpful_reader', { exact: true }).isVisible()).resolves.toBe(
      true,
    );
    await expect(authorPage.getByText(/replied to your story/).isVisible()).resolves.toBe(true);
    for (const page of [replierPage, authorPage]) await page.context().close();
  });
});
