import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AxeResults } from 'axe-core';
import { updateRole } from '../server/accounts/queries.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { browserTestsEnabled, launchBrowser } from './helpers/browser.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';

// Issue 16, "Accessibility, checked in CI" and "Phone": every kind of page passes axe-core (every
// rule that is on by default, no violation allowed) on a desktop and on a 390-px phone, in the
// light and the dark colour scheme. On the phone the header is one compact row with a menu that
// opens without JavaScript, the first story or search result shows without scrolling, nothing
// scrolls sideways and the chart's labels stay legible. A scripted vote renames its button.

// The site's Content-Security-Policy (script-src 'self') refuses an injected <script> tag, as it
// should; axe-core is evaluated through the DevTools protocol instead, which the policy does not
// govern, so the pages are checked with their real policy in force.
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const HEADER_MAX = 64;

type Role = 'visitor' | 'member' | 'moderator';
/** A DOMRect as JSON: the project's types have no DOM. */
interface Box {
  top: number;
  bottom: number;
  left: number;
  right: number;
}
interface PageKind {
  name: string;
  path: string;
  as: Role;
  status?: number;
  /** Brings the page into the state to check, after it has loaded. */
  then?: (page: Page) => Promise<void>;
}

describe.runIf(browserTestsEnabled)('accessibility in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let kinds: PageKind[];
  const clients = new Map<Role, TestClient>();
  let othersStory: number;

  beforeAll(async () => {
    t = await createTestApp();
    const register = async (name: string) => {
      const client = new TestClient(t.app);
      await registerMember(client, name);
      return client;
    };
    const moderator = await register('ax_moderator');
    await updateRole(t.app.db, 'ax_moderator', 'moderator');
    const member = await register('ax_member');
    const other = await register('ax_other');
    clients.set('member', member).set('moderator', moderator);

    // The member's story, rated, with a reply from another member: a notification.
    const ownStory = await postStory(member, {
      title: 'Pre-sales help that never came for a hospital network refresh',
      body:
        'We asked for a **pre-sales engineer** three times.\n\n' +
        '- first call: nobody\n- second call: a PDF\n\n> We will get back to you.',
      vendors: 'Axe Networks',
      tier: 'Gold',
      sentiment: 'bad',
      area_presales: 'bad',
      area_demos: 'good',
      area_dealreg: 'bad',
    });
    await postReply(other, ownStory, 'Same here: the pre-sales queue took six weeks.');
    for (const [index, title] of [
      'Deal registration honoured on a storage refresh',
      'A great partner manager who answered within the hour',
      'Demo units arrived, the training vouchers did not',
    ].entries())
      await postStory(other, {
        title,
        body: 'The channel manager approved the deal registration within a day and held the price.',
        vendors: index === 1 ? 'Contrast Storage' : 'Axe Networks',
        sentiment: ['good', 'good', 'mixed'][index]!,
        anonymous: index === 2,
      });
    // A reported story with a long body, so that it scrolls in the moderation queue.
    const reported = await postStory(other, {
      title: 'A discount withdrawn after the quote went out',
      body: Array.from(
        { length: 12 },
        (_, index) =>
          `Week ${index + 1}: the vendor withdrew the agreed discount after our quote went out.`,
      ).join('\n\n'),
      vendors: 'Contrast Storage',
      sentiment: 'bad',
    });
    othersStory = reported;
    await member.get(`/threads/${reported}/report`);
    const report = await member.post(`/threads/${reported}/report`, {
      reason: 'false-claim',
      note: 'This did not happen',
    });
    expect(report.statusCode, report.body.slice(0, 1500)).toBeLessThan(400);
    // A moderator's decision, for the log.
    const hidden = await postStory(other, {
      title: 'Off-topic: our office moved',
      vendors: 'Axe Networks',
    });
    await moderator.get('/mod');
    const hide = await moderator.post(`/mod/threads/${hidden}`, {
      action: 'hide',
      reason: 'off topic',
      next: '/mod',
    });
    expect(hide.statusCode, hide.body.slice(0, 1500)).toBe(303);

    kinds = [
      { name: 'home', path: '/', as: 'visitor' },
      { name: 'story as visitor', path: `/threads/${ownStory}`, as: 'visitor' },
      { name: 'story as member', path: `/threads/${reported}`, as: 'member' },
      { name: 'story as moderator', path: `/threads/${ownStory}`, as: 'moderator' },
      { name: 'vendor page', path: '/vendors/axe-networks', as: 'visitor' },
      { name: 'vendor directory', path: '/vendors', as: 'visitor' },
      {
        name: 'story form with errors',
        path: '/threads/new',
        as: 'member',
        then: async (page) => {
          await page.getByRole('button', { name: 'Post story' }).click();
          await page.locator('.field-error').first().waitFor();
        },
      },
      { name: 'search with results', path: '/search?q=deal', as: 'visitor' },
      { name: 'account', path: '/account', as: 'member' },
      { name: 'notifications', path: '/notifications', as: 'member' },
      { name: 'report form', path: `/threads/${ownStory}/report`, as: 'moderator' },
      { name: 'moderation queue', path: '/mod', as: 'moderator' },
      { name: 'moderation log', path: '/mod/log', as: 'moderator' },
      { name: 'member profile', path: '/users/ax_other', as: 'visitor' },
      { name: 'error page', path: '/no-such-page', as: 'visitor', status: 404 },
      { name: 'about', path: '/about', as: 'visitor' },
      { name: 'guidelines', path: '/guidelines', as: 'visitor' },
      { name: 'privacy', path: '/privacy', as: 'visitor' },
      { name: 'terms', path: '/terms', as: 'visitor' },
      { name: 'anonymity', path: '/about/anonymity', as: 'visitor' },
      { name: 'log in', path: '/login', as: 'visitor' },
      { name: 'register', path: '/register', as: 'visitor' },
      { name: 'forgotten password', path: '/password/forgot', as: 'visitor' },
    ];

    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A browser context at a screen size and colour scheme, logged in as `as` unless a visitor. */
  async function open(
    viewport: { width: number; height: number },
    colorScheme: 'light' | 'dark',
    as: Role = 'visitor',
  ): Promise<Page> {
    const context: BrowserContext = await browser.newContext({ viewport, colorScheme });
    const client = clients.get(as);
    if (client)
      await context.addCookies(
        [...client.cookies].map(([name, value]) => ({ name, value, url: base })),
      );
    return context.newPage();
  }

  async function visit(page: Page, path: string, status = 200) {
    const response = await page.goto(base + path);
    expect(response?.status(), path).toBe(status);
  }

  /** axe-core's violations on the page, one readable line per rule and element. */
  async function axeViolations(page: Page, what: string): Promise<string[]> {
    await page.evaluate(AXE_SOURCE);
    // Every rule that is on by default; only the violations in full. (Expressions, not
    // functions: the project's types have no DOM.)
    const results = await page.evaluate<AxeResults>("axe.run({ resultTypes: ['violations'] })");
    expect(results.passes.length, `axe-core ran no checks on ${what}`).toBeGreaterThan(0);
    return results.violations.flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${what}: ${violation.id} (${violation.impact}) ${violation.help}\n` +
          `    at ${node.target.join(' ')}\n    ${node.failureSummary?.replace(/\n/g, '\n    ')}`,
      ),
    );
  }

  /** How far the page scrolls sideways: 0 when it fits the screen. */
  const sidewaysScroll = (page: Page) =>
    page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');

  for (const viewport of [DESKTOP, PHONE])
    for (const colorScheme of ['light', 'dark'] as const)
      it(`every kind of page passes axe-core at ${viewport.width} px in the ${colorScheme} scheme`, async () => {
        const pages = new Map<Role, Page>();
        const problems: string[] = [];
        for (const kind of kinds) {
          let page = pages.get(kind.as);
          if (!page) pages.set(kind.as, (page = await open(viewport, colorScheme, kind.as)));
          await visit(page, kind.path, kind.status);
          await kind.then?.(page);
          const what = `${kind.name} (${kind.path})`;
          // The scheme is really in force: a dark page on a dark background, a light one on light.
          const background = await page.evaluate<string>(
            'getComputedStyle(document.body).backgroundColor',
          );
          const brightness = (background.match(/\d+/g) ?? []).slice(0, 3).map(Number);
          const sum = brightness.reduce((total, value) => total + value, 0);
          if (colorScheme === 'dark' ? sum > 150 : sum < 600)
            problems.push(`${what}: background ${background} in the ${colorScheme} scheme`);
          problems.push(...(await axeViolations(page, what)));
          if (viewport === PHONE) {
            const overflow = await sidewaysScroll(page);
            if (overflow > 0) problems.push(`${what}: scrolls sideways by ${overflow} px`);
          }
        }
        for (const page of pages.values()) await page.context().close();
        expect(problems, `${problems.length} problems:\n${problems.join('\n')}`).toEqual([]);
      }, 300_000);

  it('fits the header in one compact row on a phone, with a menu that opens without JavaScript', async () => {
    for (const as of ['visitor', 'moderator'] as const) {
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const client = clients.get(as);
      if (client)
        await context.addCookies(
          [...client.cookies].map(([name, value]) => ({ name, value, url: base })),
        );
      const page = await context.newPage();
      await visit(page, '/');
      const header = (await page.locator('.site-header').boundingBox())!;
      const brand = (await page.locator('.site-header .brand').boundingBox())!;
      const menu = page.locator('.site-header summary');
      const button = (await menu.boundingBox())!;
      const boxes = JSON.stringify({ as, header, brand, button });
      expect(header.height, boxes).toBeLessThanOrEqual(HEADER_MAX);
      // One row: the brand and the menu button side by side, both inside the header.
      expect(
        Math.abs(brand.y + brand.height / 2 - (button.y + button.height / 2)),
        boxes,
      ).toBeLessThan(8);
      expect(button.x, boxes).toBeGreaterThan(brand.x + brand.width);
      expect(button.x + button.width, boxes).toBeLessThanOrEqual(PHONE.width);
      for (const box of [brand, button])
        expect(box.y + box.height, boxes).toBeLessThanOrEqual(header.y + header.height);

      const nav = page.getByRole('navigation', { name: 'Main' });
      await expect(nav.isVisible(), 'the menu starts closed').resolves.toBe(false);
      await expect(menu.textContent()).resolves.toMatch(/^Menu/);
      await menu.click();
      await expect(nav.isVisible()).resolves.toBe(true);
      const search = page.getByRole('searchbox', { name: 'Search stories' });
      await expect(search.isVisible()).resolves.toBe(true);
      const links =
        as === 'visitor' ? ['Stories', 'Vendors', 'Log in', 'Register'] : ['Moderation'];
      for (const name of links) {
        const link = nav.getByRole('link', { name, exact: true });
        await expect(link.isVisible(), name).resolves.toBe(true);
        const box = (await link.boundingBox())!;
        expect(box.x + box.width, name).toBeLessThanOrEqual(PHONE.width);
        expect(box.y + box.height, name).toBeLessThanOrEqual(PHONE.height);
      }
      if (as === 'moderator')
        await expect(nav.getByRole('button', { name: 'Log out' }).isVisible()).resolves.toBe(true);
      // Opening the menu lays it over the page: the header keeps its height.
      const opened = (await page.locator('.site-header').boundingBox())!;
      expect(opened.height).toBeCloseTo(header.height, 0);
      // The search box in the menu works.
      await search.fill('deal');
      await search.press('Enter');
      await page.waitForURL(/\/search\?q=deal/);
      await context.close();
    }
  });

  it('shows the whole navigation in the header on a desktop, without a menu button', async () => {
    const page = await open(DESKTOP, 'light', 'moderator');
    await visit(page, '/');
    await expect(page.locator('.site-header summary').isVisible()).resolves.toBe(false);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Stories', 'Vendors', 'Share a story', 'Moderation', 'Notifications'])
      await expect(nav.getByRole('link', { name }).isVisible(), name).resolves.toBe(true);
    await expect(nav.getByRole('button', { name: 'Log out' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('searchbox', { name: 'Search stories' }).isVisible()).resolves.toBe(
      true,
    );
    const header = (await page.locator('.site-header').boundingBox())!;
    expect(header.height).toBeLessThanOrEqual(110);
    await page.context().close();
  });

  it('shows the first story and the first search result without scrolling on a phone', async () => {
    const page = await open(PHONE, 'light');
    for (const [path, item] of [
      ['/', '.thread-card'],
      ['/search?q=deal', '.search-hit'],
    ] as const) {
      await visit(page, path);
      const first = page.locator(item).first();
      const title = (await first.locator('.thread-title').boundingBox())!;
      const card = (await first.boundingBox())!;
      const boxes = JSON.stringify({ path, card, title });
      expect(title.y, boxes).toBeGreaterThan(0);
      expect(title.y + title.height, boxes).toBeLessThanOrEqual(PHONE.height);
    }
    await page.context().close();
  });

  it('shows every column of the vendor directory and the log on a phone, without sideways scrolling', async () => {
    for (const [path, as] of [
      ['/vendors', 'visitor'],
      ['/mod/log', 'moderator'],
    ] as const) {
      const page = await open(PHONE, 'light', as);
      await visit(page, path);
      const cells = await page.evaluate<Array<{ label: string; right: number }>>(
        `[...document.querySelectorAll('.stack-on-phone tbody tr:first-child td')].map((cell) => ({
          label: getComputedStyle(cell, '::before').content,
          right: cell.getBoundingClientRect().right,
        }))`,
      );
      expect(cells.length, path).toBeGreaterThanOrEqual(4);
      for (const cell of cells)
        expect(cell.right, `${path} ${cell.label}`).toBeLessThanOrEqual(PHONE.width);
      // Every cell but the card's title says which column it is.
      for (const cell of cells.slice(1)) expect(cell.label, path).toMatch(/^".+: "$/);
      await page.context().close();
    }
  });

  it('stacks the story form and its rating grid on a phone, and keeps chart labels legible', async () => {
    const form = await open(PHONE, 'light', 'member');
    await visit(form, '/threads/new');
    const rows = await form.evaluate<
      Array<{ label: Box; choices: Box[]; right: number }>
    >(`[...document.querySelectorAll('.area-row')].map((row) => ({
      label: row.querySelector('.area-label').getBoundingClientRect().toJSON(),
      choices: [...row.querySelectorAll('.choice')].map((c) => c.getBoundingClientRect().toJSON()),
      right: row.getBoundingClientRect().right,
    }))`);
    expect(rows.length).toBe(9);
    for (const row of rows) {
      const detail = JSON.stringify(row);
      expect(row.right, detail).toBeLessThanOrEqual(PHONE.width);
      // The area's name on its line, its three choices together on the next.
      expect(row.choices.length, detail).toBe(3);
      for (const choice of row.choices) {
        expect(choice.top, detail).toBeGreaterThanOrEqual(row.label.bottom - 1);
        expect(Math.abs(choice.top - row.choices[0]!.top), detail).toBeLessThan(2);
      }
    }
    await expect(sidewaysScroll(form)).resolves.toBeLessThanOrEqual(0);
    await form.context().close();

    for (const viewport of [PHONE, DESKTOP]) {
      const page = await open(viewport, 'light');
      await visit(page, '/vendors/axe-networks');
      // The label's font size in the SVG's units, times the SVG's scale on screen.
      const sizes = await page.evaluate<number[]>(
        `[...document.querySelectorAll('.trend-chart text')]
          .filter((text) => getComputedStyle(text).display !== 'none')
          .map((text) => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)`,
      );
      expect(sizes.length, `${viewport.width} px`).toBeGreaterThan(2);
      for (const size of sizes) expect(size, `${viewport.width} px`).toBeGreaterThanOrEqual(11);
      await page.context().close();
    }
  });

  it("renames the vote button after a scripted vote: its name says it is the member's vote", async () => {
    const page = await open(PHONE, 'light', 'member');
    await visit(page, `/threads/${othersStory}`);
    const story = page.locator('#story');
    const score = story.locator('[data-vote-score]');
    await expect(score.textContent()).resolves.toBe('0');
    await story.getByRole('button', { name: 'Vote up', exact: true }).click();
    await expect.poll(() => score.textContent()).toBe('1');
    const voted = story.getByRole('button', {
      name: 'Vote up (your vote; press to take it back)',
      exact: true,
    });
    await expect(voted.count()).resolves.toBe(1);
    await expect(voted.getAttribute('aria-pressed')).resolves.toBe('true');
    // The page as the server draws it afterwards says the same.
    await page.reload();
    await expect(voted.count()).resolves.toBe(1);
    await voted.click();
    await expect.poll(() => score.textContent()).toBe('0');
    await expect(
      story.getByRole('button', { name: 'Vote up', exact: true }).getAttribute('aria-pressed'),
    ).resolves.toBe('false');
    await page.context().close();
  });
});
