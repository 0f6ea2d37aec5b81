import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { updateRole } from '../server/accounts/queries.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { browserTestsEnabled, launchBrowser } from './helpers/browser.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

// Vendors answer, partners close the loop, as the people involved see it in a real browser: an
// admin makes a member the vendor's representative, the representative answers an anonymous
// story from their desk, its author hears of it, says the vendor resolved it, and the vendor's
// page shows how the vendor answers.

const PASSWORD = 'a long enough password';
const VENDOR = 'Answering Vendor';
const SLUG = 'answering-vendor';
const STORY = 'Deal registration lost twice';

describe.runIf(browserTestsEnabled)("vendors' answers in a real browser", () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let anonymousStory: number;
  const named: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const register = async (name: string) => {
      const client = new TestClient(t.app);
      await registerMember(client, name, PASSWORD);
      return client;
    };
    await register('vendor_admin');
    await updateRole(t.app.db, 'vendor_admin', 'admin');
    await register('desk_rep');
    const author = await register('quiet_partner');
    anonymousStory = await postStory(author, {
      title: STORY,
      body: 'Our registration vanished, twice, and the deal went to a competitor.',
      vendors: VENDOR,
      anonymous: true,
    });
    // Three more stories about the vendor, by three other members, told by name.
    for (const name of ['partner_two', 'partner_three', 'partner_four'])
      named[name] = await postStory(await register(name), {
        title: `${name} waited for a call back`,
        vendors: VENDOR,
      });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function logIn(username: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(base + '/login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(base + '/');
    return page;
  }

  /** A member's forms through TestClient, logged in like anyone else. */
  async function client(username: string) {
    const member = new TestClient(t.app);
    const response = await member.submit('/login', '/login', { username, password: PASSWORD });
    expect(response.statusCode).toBe(303);
    return member;
  }

  const answers = (page: Page) => page.locator('#answers');

  it('an admin grants, the representative answers, the anonymous author marks it resolved', async () => {
    // Before: nobody answers for the vendor.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${base}/vendors/${SLUG}`);
    await expect(answers(visitor).textContent()).resolves.toContain('Not on Partner Stories yet');

    // The admin grants "representative of the vendor" on its moderation page.
    const admin = await logIn('vendor_admin');
    await admin.goto(`${base}/mod/vendors/${SLUG}`);
    await expect(admin.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      `Moderate ${VENDOR}`,
    );
    const representatives = admin.locator('section', {
      has: admin.getByRole('heading', { name: 'Representatives' }),
    });
    await expect(representatives.textContent()).resolves.toContain('has no representative');
    await admin.getByLabel('Member (username)').fill('desk_rep');
    await admin.getByLabel('Reason (for the moderation log)').fill('Partner manager since 2024');
    await admin.getByRole('button', { name: 'Grant', exact: true }).click();
    await admin.waitForURL(`${base}/mod/vendors/${SLUG}`);
    await expect(
      representatives.getByRole('listitem').filter({ hasText: 'desk_rep' }).textContent(),
    ).resolves.toMatch(/desk_rep\s*· 0 official responses/);
    const log = admin.locator('section', {
      has: admin.getByRole('heading', { name: 'Grants and withdrawals' }),
    });
    await expect(log.textContent()).resolves.toMatch(
      /vendor_admin made desk_rep a representative\.\s*Reason: Partner manager since 2024/,
    );

    // Two more answers, and their authors' marks, set up through forms outside the browser.
    const rep = await client('desk_rep');
    for (const name of ['partner_two', 'partner_three']) {
      await rep.get(`/threads/${named[name]}`);
      const posted = await rep.post(`/threads/${named[name]}/response`, {
        body: `We are sorry, ${name}: your account manager will call today.`,
      });
      expect(posted.statusCode).toBe(303);
    }
    for (const [name, resolution] of [
      ['partner_two', 'resolved'],
      ['partner_three', 'not-resolved'],
    ] as const) {
      const author = await client(name);
      await author.get(`/threads/${named[name]}`);
      const marked = await author.post(`/threads/${named[name]}/resolution`, { resolution });
      expect(marked.statusCode).toBe(303);
    }

    // The representative opens their desk and follows the anonymous story.
    const representative = await logIn('desk_rep');
    await representative
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Vendor desk' })
      .click();
    await representative.waitForURL(`${base}/vendor-desk`);
    await expect(representative.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      `Vendor desk: ${VENDOR}`,
    );
    const waiting = representative.locator('section', {
      has: representative.getByRole('heading', { name: 'Waiting for an answer, oldest first' }),
    });
    const waitingTitles = await waiting.locator('.thread-title').allTextContents();
    expect(waitingTitles.map((title) => title.trim())).toEqual([
      STORY,
      'partner_four waited for a call back',
    ]);
    const card = waiting.getByRole('listitem').filter({ hasText: STORY });
    await expect(card.textContent()).resolves.toContain('Anonymous provider');
    await card.getByRole('link', { name: STORY }).click();
    await representative.waitForURL(new RegExp(`/threads/${anonymousStory}/`));

    // They answer for the vendor, under their name, and cannot reply anonymously here.
    await expect(representative.getByText('Reply anonymously').count()).resolves.toBe(0);
    await expect(
      representative.getByText(`You represent ${VENDOR}: you reply here under your name`).count(),
    ).resolves.toBe(1);
    await expect(
      representative.getByRole('heading', { name: `Answer for ${VENDOR}` }).isVisible(),
    ).resolves.toBe(true);
    await representative
      .getByLabel(/Official response/)
      .fill('We found both registrations and **restored** them. Sorry for the trouble.');
    await representative.getByRole('button', { name: 'Post official response' }).click();
    await representative.waitForURL(/#response-\d+$/);
    const response = representative.getByRole('article', {
      name: `Official response from ${VENDOR}`,
    });
    await expect(response.textContent()).resolves.toContain(
      'We found both registrations and restored them.',
    );
    await expect(response.locator('strong').textContent()).resolves.toBe('restored');
    await expect(response.locator('.official-label').textContent()).resolves.toMatch(
      new RegExp(`${VENDOR}\\s+official response`),
    );
    await expect(response.locator('.byline').textContent()).resolves.toMatch(
      new RegExp(`desk_rep\\s+${VENDOR} · official`),
    );
    // One answer per story: the form is gone; only the author may mark it.
    await expect(
      representative.getByRole('button', { name: 'Post official response' }).count(),
    ).resolves.toBe(0);
    await expect(
      representative.getByRole('radio', { name: 'Resolved by the vendor' }).count(),
    ).resolves.toBe(0);

    // The anonymous author hears of it and says the vendor resolved it.
    const author = await logIn('quiet_partner');
    await expect(
      author.getByRole('link', { name: /Notifications/ }).textContent(),
    ).resolves.toMatch(/1\s*unread/);
    await author.getByRole('link', { name: /Notifications/ }).click();
    await author.waitForURL(`${base}/notifications`);
    const notice = author.locator('.notice-item', { hasText: STORY });
    await expect(notice.textContent()).resolves.toMatch(
      new RegExp(
        `${VENDOR}\\s+official\\s+answered your story ${STORY}\\. You can mark whether it resolved your problem\\.`,
      ),
    );
    await notice.getByRole('link', { name: STORY }).click();
    await author.waitForURL(new RegExp(`/threads/${anonymousStory}\\b.*#response-\\d+$`));
    const form = author.locator('form.resolution-form');
    await expect(form.locator('legend').textContent()).resolves.toBe(
      "Did the vendor resolve it? Only you, the story's author, can say; your anonymity stays as it is.",
    );
    await expect(form.getByRole('radio', { name: 'Leave it open' }).isChecked()).resolves.toBe(
      true,
    );
    await form.getByRole('radio', { name: 'Resolved by the vendor' }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await author.waitForURL(/#resolution$/);
    await expect(
      author.locator('#story').getByText('Resolved by the vendor, says the author').count(),
    ).resolves.toBe(1);
    await expect(
      author.getByRole('radio', { name: 'Resolved by the vendor' }).isChecked(),
    ).resolves.toBe(true);

    // Everyone sees the mark; the story stays anonymous.
    await visitor.goto(`${base}/threads/${anonymousStory}`);
    const story = visitor.locator('#story');
    await expect(story.getByText('Resolved by the vendor, says the author').count()).resolves.toBe(
      1,
    );
    await expect(story.textContent()).resolves.toContain('Anonymous provider');
    await expect(story.textContent()).resolves.not.toContain('quiet_partner');
    await expect(visitor.locator('form.resolution-form').count()).resolves.toBe(0);

    // The vendor's page: four stories, three answered, two resolved, one not.
    await visitor.goto(`${base}/vendors/${SLUG}`);
    const figures = answers(visitor);
    await expect(figures.getByRole('heading').textContent()).resolves.toBe(`How ${VENDOR} answers`);
    await expect(figures.textContent()).resolves.not.toContain('Not on Partner Stories yet');
    const items = (await figures.getByRole('listitem').allTextContents()).map((item) =>
      item.replace(/\s+/g, ' ').trim(),
    );
    expect(items).toEqual([
      'Responded to 75% of stories in the last 12 months (3 of 4)',
      'Typically within a day (the median of 3 answers)',
      'Partners say resolved: 2 of 3 answered stories (1 not resolved, 0 not marked)',
    ]);
    const listed = visitor.getByRole('listitem').filter({
      has: visitor.getByRole('link', { name: STORY }),
    });
    await expect(listed.textContent()).resolves.toContain('Vendor answered · resolved');

    for (const page of [visitor, admin, representative, author]) await page.context().close();
  }, 120_000);
});
