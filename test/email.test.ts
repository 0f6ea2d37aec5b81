import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { MailCatcher, linkPath } from './helpers/mail.js';

let t: TestApp;
let smtp: MailCatcher;
beforeAll(async () => {
  smtp = await new MailCatcher().start();
  t = await createTestApp({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

/** Drives the queue until `count` mails reached `address` (reset mail is queued after the answer). */
async function drainFor(address: string, count = 1) {
  const deadline = Date.now() + 20_000;
  while (smtp.to(address).length < count && Date.now() < deadline) {
    await t.app.mail.drain();
    if (smtp.to(address).length < count) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return smtp.waitFor(address, count, 1);
}

describe('an address, confirmed by a link', () => {
  it('is added on /account, confirmed once, and used for a reset', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'mailer1');
    await member.get('/account');
    const saved = await member.post('/account/email', { email: 'Mailer1@Example.org' });
    expect(saved.statusCode).toBe(303);
    const [confirm] = await drainFor('mailer1@example.org');
    expect(confirm!.subject).toContain('Confirm');
    expect(confirm!.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const path = linkPath(confirm!, '/email/confirm/');
    const confirmed = await new TestClient(t.app).get(path);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Your address is confirmed');
    expect((await new TestClient(t.app).get(path)).statusCode).toBe(410);

    const visitor = new TestClient(t.app);
    await visitor.get('/password/forgot');
    const asked = await visitor.post('/password/forgot', { login: 'mailer1@example.org' });
    expect(asked.statusCode).toBe(200);
    const mails = await drainFor('mailer1@example.org', 2);
    const resetPath = linkPath(mails[1]!, '/password/reset/');
    await visitor.get(resetPath);
    const reset = await visitor.post(resetPath, { password: 'a brand new password' });
    expect(reset.statusCode).toBe(200);
    expect(reset.body).toContain('Your password is changed');
    expect((await member.get('/account')).statusCode).toBe(303);
    const again = await visitor.post(resetPath, { password: 'another new password' });
    expect(again.statusCode).toBe(410);
    const login = await new TestClient(t.app).submit('/login', '/login', {
      username: 'mailer1',
      password: 'a brand new password',
    });
    expect(login.statusCode).toBe(303);
  });
});
