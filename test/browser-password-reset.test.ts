import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AxeResults } from 'axe-core';
import { createTestApp, type TestApp } from './helpers/app.js';
import { browserTestsEnabled, launchBrowser } from './helpers/browser.js';
import { MailCatcher, linkPath, type ReceivedMail } from './helpers/mail.js';

// Issue 15, "A browser test of the reset flow end to end": a member adds and confirms an address
// on /account, forgets their password, asks for a link from the login page, chooses a new
// password through the mailed link, and logs in with it; every session they had ends. The
// forgot, reset and account pages pass axe-core.

// The site's Content-Security-Policy (script-src 'self') refuses an injected <script> tag;
// axe-core is evaluated through the DevTools protocol instead, which the policy does not govern.
const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const USERNAME = 'forgetful_fern';
const OLD_PASSWORD = 'the password I forgot';
const NEW_PASSWORD = 'a password I will keep';
const ADDRESS = 'fern.forgetful@reset-browser-test.example';

describe.runIf(browserTestsEnabled)('a password reset in a real browser', () => {
  let t: TestApp;
  let smtp: MailCatcher;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    smtp = await new MailCatcher().start();
    t = await createTestApp({ smtpUrl: smtp.url });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  /**
   * Runs the mail queue until the `count`th mail to the address has arrived (a reset is looked
   * into after the page answered), and returns it.
   */
  async function mailNumber(count: number): Promise<ReceivedMail> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await t.app.mail.drain();
      const mails = smtp.to(ADDRESS);
      if (mails.length >= count) {
        expect(mails).toHaveLength(count);
        return mails[count - 1]!;
      }
      if (Date.now() > deadline) throw new Error(`mail ${count} to ${ADDRESS} never came`);
      await sleep(50);
    }
  }

  async function visit(page: Page, path: string) {
    const response = await page.goto(base + path);
    expect(response?.status(), path).toBe(200);
  }

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
  /** Waits for the page whose main heading is `name` (a form posted to its own address). */
  const reached = (page: Page, name: string) =>
    page.getByRole('heading', { level: 1, name, exact: true }).waitFor();

  /** Runs axe-core on the page and expects no violations, naming them if there are. */
  async function expectAccessible(page: Page, what: string) {
    await page.evaluate(AXE_SOURCE);
    // Expressions, not functions: the project's types have no DOM.
    const results = await page.evaluate<AxeResults>('axe.run()');
    const found = results.violations.map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help}\n` +
        violation.nodes.map((node) => `    ${node.target.join(' ')}`).join('\n'),
    );
    expect(results.passes.length, `axe-core ran no checks on ${what}`).toBeGreaterThan(0);
    expect(found, `axe-core violations on ${what}:\n${found.join('\n')}`).toEqual([]);
  }

  async function logIn(page: Page, password: string) {
    await visit(page, '/login');
    await page.getByLabel('Username').fill(USERNAME);
    await page.getByLabel('Password').fill(password);
    await Promise.all([
      page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' && new URL(response.url()).pathname === '/login',
      ),
      page.getByRole('button', { name: 'Log in' }).click(),
    ]);
  }

  it('a member confirms an address, forgets the password, and sets a new one by mail', async () => {
    const member = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    member.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });

    // Registered, with an address added on /account and confirmed through the mailed link.
    await visit(member, '/register');
    await member.getByLabel('Username').fill(USERNAME);
    await member.getByLabel('Password').fill(OLD_PASSWORD);
    await member.getByRole('button', { name: 'Create account' }).click();
    await member.waitForURL(base + '/welcome');
    await visit(member, '/account');
    await member.getByLabel('Your address').fill(ADDRESS);
    await member.getByRole('button', { name: 'Save address' }).click();
    await member.waitForURL(/\/account\?saved=email/);
    await expect(member.getByRole('status').textContent()).resolves.toContain(
      'We sent a confirmation link',
    );
    const confirmation = await mailNumber(1);
    expect(confirmation.subject).toBe('Confirm your address on Partner Stories');
    await visit(member, linkPath(confirmation, '/email/confirm/'));
    await expect(heading(member)).resolves.toBe('Your address is confirmed');
    await visit(member, '/account');
    await expect(member.getByText(`${ADDRESS} · confirmed`).isVisible()).resolves.toBe(true);
    await expectAccessible(member, '/account with a confirmed address');

    // Elsewhere, another browser of the member's is logged in too.
    const elsewhere = await (await browser.newContext()).newPage();
    await logIn(elsewhere, OLD_PASSWORD);
    await elsewhere.waitForURL(base + '/');
    await visit(elsewhere, '/account');
    await expect(heading(elsewhere)).resolves.toBe('Your account');

    // Logged out, the member forgets the password: the login page has a way back.
    await member.getByRole('navigation').getByRole('button', { name: 'Log out' }).click();
    await member.waitForURL(base + '/');
    await visit(member, '/login');
    await member.getByRole('link', { name: 'Forgot your password?' }).click();
    await member.waitForURL(base + '/password/forgot');
    await expect(heading(member)).resolves.toBe('Forgot your password?');
    await expectAccessible(member, '/password/forgot');
    await member.getByLabel('Username or email address').fill(USERNAME);
    await member.getByRole('button', { name: 'Send me a link' }).click();
    await reached(member, 'Check your mail');
    await expect(member.getByRole('status').textContent()).resolves.toContain(
      'a link to choose a new password is on its way',
    );

    // The link in the mail opens a form; a too-short password is refused beside the field.
    const reset = await mailNumber(2);
    expect(reset.subject).toBe('Reset your password on Partner Stories');
    const resetPath = linkPath(reset, '/password/reset/');
    await visit(member, resetPath);
    await expect(heading(member)).resolves.toBe('Choose a new password');
    await expectAccessible(member, 'the reset form');
    const field = member.getByLabel('New password');
    await field.fill('too short');
    const [refused] = await Promise.all([
      member.waitForResponse((response) => response.request().method() === 'POST'),
      member.getByRole('button', { name: 'Set my new password' }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await expect(member.locator('#password-error').textContent()).resolves.toContain(
      'Choose a password of 10–256 characters.',
    );
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(field.getAttribute('aria-describedby')).resolves.toContain('password-error');
    await expectAccessible(member, 'the reset form with an error');

    await field.fill(NEW_PASSWORD);
    await member.getByRole('button', { name: 'Set my new password' }).click();
    await reached(member, 'Your password is changed');
    expect(new URL(member.url()).pathname).toBe(resetPath);
    const told = await mailNumber(3);
    expect(told.subject).toBe('Your password on Partner Stories was changed');

    // The new password opens the account; the old one no longer does.
    await member.getByRole('link', { name: 'Log in with your new password' }).click();
    await member.waitForURL(/\/login/);
    await member.getByLabel('Username').fill(USERNAME);
    await member.getByLabel('Password').fill(NEW_PASSWORD);
    await member.getByRole('button', { name: 'Log in' }).click();
    await member.waitForURL((url) => url.pathname !== '/login');
    await visit(member, '/account');
    await expect(heading(member)).resolves.toBe('Your account');
    await expectAccessible(member, '/account after the reset');

    const stranger = await (await browser.newContext()).newPage();
    await logIn(stranger, OLD_PASSWORD);
    expect(new URL(stranger.url()).pathname).toBe('/login');
    await expect(stranger.getByRole('alert').textContent()).resolves.toBe(
      'Incorrect username or password.',
    );
    await stranger.goto(base + '/account');
    expect(new URL(stranger.url()).pathname).toBe('/login');

    // The session elsewhere ended with the reset: its next look at /account asks for a login.
    await elsewhere.goto(base + '/account');
    expect(new URL(elsewhere.url()).pathname).toBe('/login');
    await expect(heading(elsewhere)).resolves.toBe('Log in');

    // Nothing failed in the page but the refused short password, answered with a 400.
    expect(errors.filter((error) => !error.includes('status of 400'))).toEqual([]);
    for (const page of [member, elsewhere, stranger]) await page.context().close();
  }, 120_000);
});
