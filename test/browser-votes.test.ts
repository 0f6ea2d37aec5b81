import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createTestApp, type TestApp } from './helpers/app.js';
import { browserTestsEnabled, launchBrowser } from './helpers/browser.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

describe.runIf(browserTestsEnabled)('voting in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let storyId: number;
  beforeAll(async () => {
    t = await createTestApp();
    const author = new TestClient(t.app);
    await registerMember(author, 'story_author');
    storyId = await postStory(author, { title: 'A story worth a vote', vendors: 'Vote Vendor' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function loggedInPage(javaScriptEnabled: boolean, username: string) {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(base + '/register');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(base + '/welcome');
    return page;
  }

  it('a member votes on a story and sees the score change in place', async () => {
    const page = await loggedInPage(true, 'voter_js');
    await page.goto(`${base}/threads/${storyId}`);
    const story = page.locator('#story');
    const score = story.locator('[data-vote-score]');
    await expect(score.textContent()).resolves.toBe('0');
    const url = page.url();
    await story.getByRole('button', { name: 'Vote up' }).click();
    await expect.poll(() => score.textContent()).toBe('1');
    await expect(story.locator('.vote-score small').textContent()).resolves.toBe('point');
    expect(page.url()).toBe(url); // updated in place, no reload
    await expect(story.locator('.vote-up').getAttribute('aria-pressed')).resolves.toBe('true');
    // What a screen reader hears: the button's new name, and the new score, said once.
    await expect(
      story.getByRole('button', { name: 'Vote up (your vote; press to take it back)' }).count(),
    ).resolves.toBe(1);
    await expect(page.getByRole('status').filter({ hasText: '1 point' }).count()).resolves.toBe(1);
    // Pressing it again takes the vote back.
    await story.getByRole('button', { name: /Vote up/ }).click();
    await expect.poll(() => score.textContent()).toBe('0');
    await expect(story.getByRole('button', { name: 'Vote up', exact: true }).count()).resolves.toBe(
      1,
    );
    await page.context().close();
  });

  it('works without JavaScript too', async () => {
    const page = await loggedInPage(false, 'voter_nojs');
    await page.goto(`${base}/threads/${storyId}`);
    await page.locator('#story').getByRole('button', { name: 'Vote down' }).click();
    await page.waitForLoadState('load');
    await expect(page.locator('#story [data-vote-score]').textContent()).resolves.toBe('-1');
    await page.context().close();
  });
});
