import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestApp, type TestApp } from './helpers/app.js';
import { browserTestsEnabled, launchBrowser } from './helpers/browser.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';

describe.runIf(browserTestsEnabled)('moderating in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let storyId: number;
  const PASSWORD = 'a long enough password';
  beforeAll(async () => {
    t = await createTestApp();
    const author = new TestClient(t.app);
    await registerMember(author, 'story_writer');
    storyId = await postStory(author, {
      title: 'A story that breaks the rules',
      body: 'Offending words here',
    });
    await registerMember(new TestClient(t.app), 'moderator_one', PASSWORD);
    await updateRole(t.app.db, 'moderator_one', 'moderator');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function register(page: Page, username: string) {
    await page.goto(base + '/register');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(base + '/welcome');
  }

  it('a member reports a story, a moderator hides it from the queue, the public sees it removed', async () => {
    const member = await (await browser.newContext()).newPage();
    await register(member, 'careful_reader');
    await member.goto(`${base}/threads/${storyId}`);
    await member.getByRole('link', { name: 'Report' }).click();
    await member.getByLabel('A false claim').check();
    await member.getByLabel(/Note for the moderators/).fill('This did not happen');
    await member.getByRole('button', { name: 'Send report' }).click();
    await expect(member.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Thanks, moderators will review it',
    );

    const mod = await (await browser.newContext()).newPage();
    await mod.goto(base + '/login');
    await mod.getByLabel('Username').fill('moderator_one');
    await mod.getByLabel('Password').fill(PASSWORD);
    await mod.getByRole('button', { name: 'Log in' }).click();
    await mod.getByRole('navigation').getByRole('link', { name: 'Moderation' }).click();
    const item = mod.locator('.queue-item', { hasText: 'A story that breaks the rules' });
    await expect(item.getByText('This did not happen').isVisible()).resolves.toBe(true);
    // The action is an explicit choice; suspending has a form of its own.
    const decide = item.locator('form.mod-actions:not(.mod-suspend)');
    await expect(decide.getByRole('radio', { checked: true }).count()).resolves.toBe(0);
    await expect(decide.getByLabel(/Suspend/).count()).resolves.toBe(0);
    await expect(
      item.locator('form.mod-suspend').getByLabel('Suspend the author').isVisible(),
    ).resolves.toBe(true);
    await decide.getByRole('radio', { name: 'Hide', exact: true }).check();
    await decide.getByLabel(/Reason/).fill('false claim, unverified');
    await decide.getByRole('button', { name: 'Apply' }).click();
    await mod.waitForURL(base + '/mod');
    await expect(mod.getByText('No open reports.').isVisible()).resolves.toBe(true);

    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${base}/threads/${storyId}`);
    await expect(visitor.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      '[removed by moderators: false claim, unverified]',
    );
    await expect(visitor.getByText('Offending words here').count()).resolves.toBe(0);
    for (const page of [member, mod, visitor]) await page.context().close();
  });
});
