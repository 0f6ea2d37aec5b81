import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateRole } from '../server/accounts/queries.js';
import type { Config } from '../server/config.js';
import { buildApp } from '../server/app.js';
import { mailDueNotices } from '../server/email/digests.js';
import { cleanText } from '../server/security/input.js';
import { createTestApp, testConfig, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { MailCatcher, linkPath, type ReceivedMail } from './helpers/mail.js';

// Issue 15, email accounts: adding and confirming an address, password reset, one-click
// unsubscribe, delivery through a real SMTP server (retries, no double sending), and no address
// in logs or in what the database holds.

const PASSWORD = 'correct horse battery';
const ADDRESS_MESSAGE = 'Enter an email address like name@example.org';

let smtp: MailCatcher;
let t: TestApp;
beforeAll(async () => {
  smtp = await new MailCatcher().start();
  t = await createTestApp({ smtpUrl: smtp.url });
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

// ---------------------------------------------------------------------------------------------
// Helpers

let counter = 0;
/** A fresh name, and an address on a domain of its own (so a leaked domain is recognisable). */
function fresh(prefix: string) {
  const name = `${prefix}${++counter}`;
  return { name, address: `${name}@${name}-mailhost.example` };
}
const domainOf = (address: string) => address.slice(address.indexOf('@') + 1);

/** Drains the queue of `app` until `address` has `count` mails (reset work runs after the answer). */
async function mailsTo(app: FastifyInstance, address: string, count: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await app.mail.drain();
    if (smtp.to(address).length >= count) return smtp.to(address);
    if (Date.now() > deadline)
      throw new Error(`expected ${count} mail(s) to ${address}, got ${smtp.to(address).length}`);
    await sleep(50);
  }
}

async function memberId(app: FastifyInstance, username: string) {
  const row = await app.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function emailRow(app: FastifyInstance, id: number) {
  return app.db
    .selectFrom('member_emails')
    .selectAll()
    .where('user_id', '=', id)
    .executeTakeFirst();
}

async function queuedFor(app: FastifyInstance, id: number) {
  return app.db
    .selectFrom('mail_queue')
    .selectAll()
    .where('recipient', '=', app.anonymity.mailRecipient(id))
    .execute();
}

async function setAddress(client: TestClient, email: string) {
  return client.submit('/account', '/account/email', { email });
}

/** A registered, logged-in member who added `address` and got its confirmation mail. */
async function memberWithPendingAddress(app: FastifyInstance, prefix: string) {
  const { name, address } = fresh(prefix);
  const client = new TestClient(app);
  await registerMember(client, name);
  const saved = await setAddress(client, address);
  expect(saved.statusCode).toBe(303);
  const before = smtp.to(address).length;
  const mails = await mailsTo(app, address, before + 1);
  const confirmPath = linkPath(mails.at(-1)!, '/email/confirm/');
  return { name, address, client, id: await memberId(app, name), confirmPath };
}

/** A registered, logged-in member with a confirmed address. */
async function memberWithAddress(app: FastifyInstance, prefix: string) {
  const member = await memberWithPendingAddress(app, prefix);
  const confirmed = await new TestClient(app).get(member.confirmPath);
  expect(confirmed.statusCode).toBe(200);
  return member;
}

async function setFrequency(client: TestClient, frequency: string) {
  const response = await client.submit('/account', '/account/email/frequency', { frequency });
  expect(response.statusCode).toBe(303);
}

/** Asks for a reset link from a fresh, logged-out visitor, as the forgot form does. */
async function askReset(app: FastifyInstance, login: string) {
  const visitor = new TestClient(app);
  return visitor.submit('/password/forgot', '/password/forgot', { login });
}

async function canLogIn(app: FastifyInstance, username: string, password: string) {
  const response = await new TestClient(app).submit('/login', '/login', { username, password });
  return response.statusCode === 303;
}

/** What the page says, without the CSRF token that differs from visitor to visitor. */
function withoutCsrf(body: string) {
  return body
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""')
    .replace(/<meta name="csrf-token" content="[^"]*">/g, '');
}

/** Text as a value attribute shows it: Eta escapes & < > " '. */
function attributeText(value: string) {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * The ways a text could show in a column: as is (any case), hex, and base64 or base64url at each
 * of the three alignments a longer encoded value could hold it at.
 */
function encodings(text: string) {
  const bytes = Buffer.from(text);
  const forms = [text.toLowerCase(), bytes.toString('hex')];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = shift === 0 ? 0 : 4;
    const end = Math.floor((shift + bytes.length) / 3) * 4;
    const core = encoded.slice(start, end);
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return forms;
}
function expectNoTrace(column: string, ...secrets: string[]) {
  for (const secret of secrets)
    // Shorter encoded forms could turn up in a random sealed box by chance.
    for (const form of encodings(secret).filter((form) => form.length >= 8)) {
      const haystack = form === secret.toLowerCase() ? column.toLowerCase() : column;
      expect(haystack.includes(form), `"${secret}" shows as ${form}`).toBe(false);
    }
}

/** The account page shows the member's address as confirmed. */
function expectConfirmed(body: string) {
  expect(body).toMatch(/<strong>[^<]+<\/strong> · confirmed/);
  expect(body).not.toContain('waiting for confirmation');
}

function unsubscribeUrlOf(mail: ReceivedMail) {
  const header = mail.header('List-Unsubscribe') ?? '';
  const match = /^<(https?:\/\/[^>\s]+)>$/.exec(header.trim());
  expect(match, `List-Unsubscribe of "${mail.subject}": ${header}`).not.toBeNull();
  return new URL(match![1]!);
}

/** A reply by someone else to the member's story: news for them. */
async function replyTo(app: FastifyInstance, threadId: number, body: string) {
  const other = new TestClient(app);
  await registerMember(other, fresh('replier').name);
  return postReply(other, threadId, body);
}

// ---------------------------------------------------------------------------------------------

describe('adding an address on /account', () => {
  it('refuses malformed and header-injecting addresses with a 400, keeps the input, stores and sends nothing', async () => {
    const member = new TestClient(t.app);
    const { name } = fresh('badaddr');
    await registerMember(member, name);
    const id = await memberId(t.app, name);
    const inputs = [
      'no-at-sign.example.org',
      'two words@example.org',
      ' spaced @example.org',
      'a@b@example.org',
      'a@@example.org',
      'a@b',
      '@example.org',
      'a@',
      `${'x'.repeat(288)}@example.org`, // 300 characters
      `${'y'.repeat(388)}@example.org`, // 400 characters
      'a@b.org\r\nBcc: x@y.org',
      'a@b.org\r\nBcc:x@y.org',
      'a@b.org\nBcc: x@y.org',
      'a@b.org\rBcc: x@y.org',
      'a@b.org\u2028Bcc: x@y.org',
      'a@b.org, x@y.org',
      'Someone <a@b.org>',
      // Invisible characters a mail server refuses and a reader cannot see.
      'zero\u200bwidth@example.org',
      'soft\u00adhyphen@example.org',
      'a@exa\u202emple.org',
      // Within 254 characters but not within SMTP's 254 bytes.
      `${'é'.repeat(200)}@example.org`,
    ];
    for (const email of inputs) {
      const response = await setAddress(member, email);
      expect(response.statusCode, JSON.stringify(email)).toBe(400);
      expect(response.body, JSON.stringify(email)).toContain(ADDRESS_MESSAGE);
      // Kept as the forum keeps any single-line field: line ends become spaces.
      expect(response.body, JSON.stringify(email)).toContain(
        `value="${attributeText(cleanText(email, false))}"`,
      );
    }
    expect(await emailRow(t.app, id)).toBeUndefined();
    expect(await queuedFor(t.app, id)).toEqual([]);
    await t.app.mail.drain();
    expect(smtp.received.filter((mail) => /b\.org|y\.org|example\.org$/.test(mail.to))).toEqual([]);
  });

  it('mails a confirmation link, says the address is never shown, and sends nothing else until it is confirmed', async () => {
    const { name, address } = fresh('adder');
    const member = new TestClient(t.app);
    await registerMember(member, name);
    const id = await memberId(t.app, name);
    const account = await member.get('/account');
    expect(account.body).toContain('never shown to anyone');

    const saved = await setAddress(member, address);
    expect(saved.statusCode).toBe(303);
    const page = await member.get(String(saved.headers.location));
    expect(page.body).toContain('We sent a confirmation link');
    expect(page.body).toContain(address);
    expect(page.body).toContain('waiting for confirmation');

    // Before confirming: mail for every notice, a story with a reply. Nothing but the
    // confirmation goes out.
    await setFrequency(member, 'immediate');
    const story = await postStory(member, { title: 'A story that will get replies' });
    await replyTo(t.app, story, 'A reply before the address is confirmed.');
    expect(await mailDueNotices(t.app)).toBe(0);
    await t.app.mail.drain();
    const [confirm, ...others] = smtp.to(address);
    expect(others).toEqual([]);
    expect(confirm!.subject).toContain('Confirm');
    expect(confirm!.text).toContain(name);
    const confirmPath = linkPath(confirm!, '/email/confirm/');
    expect(await queuedFor(t.app, id)).toEqual([]);

    // Once confirmed, the same kind of news is mailed: the silence above was the confirmation
    // missing, not the digest failing.
    expect((await new TestClient(t.app).get(confirmPath)).statusCode).toBe(200);
    expectConfirmed((await member.get('/account')).body);
    await replyTo(t.app, story, 'A reply after the address is confirmed.');
    expect(await mailDueNotices(t.app)).toBe(1);
    const mails = await mailsTo(t.app, address, 2);
    expect(mails[1]!.subject).toContain('1 new reply');
    expect(mails).toHaveLength(2);
  });

  it('keeps the address off the public profile and every page another member or a moderator sees', async () => {
    const owner = await memberWithAddress(t.app, 'shown');
    const story = await postStory(owner.client, { title: 'Story by a member with an address' });
    const replyId = await postReply(owner.client, story, 'The owner answers their own thread.');
    const threadPath = `/threads/${story}`;

    const other = new TestClient(t.app);
    const otherName = fresh('onlooker').name;
    await registerMember(other, otherName);
    await postReply(other, story, 'Another member replies.');
    const moderator = new TestClient(t.app);
    const moderatorName = fresh('mod').name;
    await registerMember(moderator, moderatorName);
    await updateRole(t.app.db, moderatorName, 'moderator');

    const publicPages = [
      `/users/${owner.name}`,
      threadPath,
      `/replies/${replyId}`,
      '/',
      '/threads',
      '/vendors',
      '/vendors/acme-networks',
      '/feed.atom',
      `/search?q=${encodeURIComponent(owner.name)}`,
    ];
    const seen: { who: string; page: string; response: LightMyRequestResponse }[] = [];
    const look = async (who: string, client: TestClient, pages: string[]) => {
      for (const page of pages) seen.push({ who, page, response: await client.get(page) });
    };
    await look('visitor', new TestClient(t.app), publicPages);
    await look('owner', owner.client, [`/users/${owner.name}`, threadPath]);
    await look('member', other, [...publicPages, '/account', '/notifications']);
    await look('moderator', moderator, [...publicPages, '/mod', '/mod/log', '/account']);

    expect(seen.filter(({ response }) => response.statusCode === 200).length).toBeGreaterThan(20);
    const profile = seen.find(({ who, page }) => who === 'visitor' && page.startsWith('/users/'));
    expect(profile!.response.statusCode).toBe(200);
    expect(profile!.response.body).toContain(owner.name);
    for (const { who, page, response } of seen) {
      const body = response.body.toLowerCase();
      expect(body.includes(owner.address), `${who} ${page}`).toBe(false);
      expect(body.includes(domainOf(owner.address)), `${who} ${page}`).toBe(false);
    }
  });

  it('holds the address and the queued mail sealed: neither column shows the address or its domain', async () => {
    const member = await memberWithPendingAddress(t.app, 'sealed');
    // A second confirmation mail, still queued: what a dump taken now would hold.
    await setAddress(member.client, member.address);
    const queued = await queuedFor(t.app, member.id);
    expect(queued).toHaveLength(1);
    const row = await emailRow(t.app, member.id);
    expect(row).toBeDefined();
    for (const column of [row!.address_sealed, row!.address_hash, queued[0]!.sealed])
      expectNoTrace(
        column,
        member.address,
        domainOf(member.address),
        member.address.split('@')[0]!,
      );
    await mailsTo(t.app, member.address, 2);
  });
});

describe('confirming an address', () => {
  it('works once, and stores its token only as a hash', async () => {
    const member = await memberWithPendingAddress(t.app, 'once');
    const token = member.confirmPath.split('/').at(-1)!;
    const rows = await t.app.db.selectFrom('email_tokens').selectAll().execute();
    expect(rows.filter((row) => row.user_id === member.id)).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);

    const first = await new TestClient(t.app).get(member.confirmPath);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Your address is confirmed');
    const second = await member.client.get(member.confirmPath);
    expect(second.statusCode).toBe(410);
    expect(second.body).toContain('This link no longer works');
    expect((await emailRow(t.app, member.id))!.confirmed_at).not.toBeNull();
  });

  it('refuses an expired link and leaves the address unconfirmed', async () => {
    const member = await memberWithPendingAddress(t.app, 'expired');
    await t.app.db
      .updateTable('email_tokens')
      .set({ expires_at: sql<Date>`now() - interval '1 minute'` })
      .where('user_id', '=', member.id)
      .where('purpose', '=', 'confirm')
      .execute();
    const response = await new TestClient(t.app).get(member.confirmPath);
    expect(response.statusCode).toBe(410);
    expect((await emailRow(t.app, member.id))!.confirmed_at).toBeNull();
    expect((await member.client.get('/account')).body).toContain('waiting for confirmation');
  });

  it('does not confirm an address since replaced; the new address is confirmed by its own link', async () => {
    const member = await memberWithPendingAddress(t.app, 'replaced');
    const next = fresh('replacement').address;
    expect((await setAddress(member.client, next)).statusCode).toBe(303);
    const [nextMail] = await mailsTo(t.app, next, 1);

    const old = await new TestClient(t.app).get(member.confirmPath);
    expect(old.statusCode).toBe(410);
    expect((await emailRow(t.app, member.id))!.confirmed_at).toBeNull();
    const account = await member.client.get('/account');
    expect(account.body).toContain(next);
    expect(account.body).not.toContain(member.address);
    expect(account.body).toContain('waiting for confirmation');

    const current = await new TestClient(t.app).get(linkPath(nextMail!, '/email/confirm/'));
    expect(current.statusCode).toBe(200);
    const row = await emailRow(t.app, member.id);
    expect(row!.confirmed_at).not.toBeNull();
    expect(row!.address_hash).toBe(t.app.anonymity.addressHash(next));
    // The first address was never confirmed: it got its confirmation and nothing since.
    await t.app.mail.drain();
    expect(smtp.to(member.address)).toHaveLength(1);
  });

  it('refuses with a 409 an address another account confirmed first; the first keeps it', async () => {
    const first = await memberWithAddress(t.app, 'owner');
    const second = new TestClient(t.app);
    const secondName = fresh('claimant').name;
    await registerMember(second, secondName);
    const secondId = await memberId(t.app, secondName);
    // Adding it tells the second member nothing: the same answer as for any address.
    const added = await setAddress(second, first.address.toUpperCase());
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toContain('saved=email#');
    const mails = await mailsTo(t.app, first.address, 2);
    expect(mails[1]!.text).toContain(secondName);
    const claim = linkPath(mails[1]!, '/email/confirm/');

    const response = await new TestClient(t.app).get(claim);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('belongs to another account');
    expect((await emailRow(t.app, secondId))!.confirmed_at).toBeNull();
    const kept = await emailRow(t.app, first.id);
    expect(kept!.confirmed_at).not.toBeNull();
    expect(kept!.address_hash).toBe(t.app.anonymity.addressHash(first.address));
    expectConfirmed((await first.client.get('/account')).body);

    // A reset asked by the address goes to the first account.
    await askReset(t.app, first.address);
    const [, , reset] = await mailsTo(t.app, first.address, 3);
    expect(reset!.subject).toContain('Reset');
    expect(reset!.text).toContain(first.name);
    expect(reset!.text).not.toContain(secondName);
  });

  it('removing the address tells the old address and deletes the row', async () => {
    const member = await memberWithAddress(t.app, 'remover');
    await setFrequency(member.client, 'daily');
    const removed = await setAddress(member.client, '');
    expect(removed.statusCode).toBe(303);
    expect(removed.headers.location).toContain('saved=email-removed');
    const mails = await mailsTo(t.app, member.address, 2);
    expect(mails[1]!.subject).toContain('removed');
    expect(mails[1]!.text).toContain('Nothing more will be sent to it');
    expect(await emailRow(t.app, member.id)).toBeUndefined();
    const account = await member.client.get(String(removed.headers.location));
    expect(account.body).not.toContain(member.address);
    expect(account.body).toContain('Your address is removed');
  });
});

describe('password reset', () => {
  it('answers every request the same way, whoever is named', async () => {
    const withAddress = await memberWithAddress(t.app, 'known');
    const unconfirmed = await memberWithPendingAddress(t.app, 'unconf');
    const noAddress = fresh('noaddr').name;
    await registerMember(new TestClient(t.app), noAddress);
    const logins = [
      'nobody-by-that-name',
      'nobody@nowhere-at-all.example',
      noAddress,
      unconfirmed.address,
      unconfirmed.name,
      withAddress.name,
      withAddress.address,
      ` ${withAddress.address.toUpperCase()} `,
    ];
    const answers = [];
    for (const login of logins) answers.push(await askReset(t.app, login));
    for (const [i, answer] of answers.entries()) {
      expect(answer.statusCode, logins[i]).toBe(200);
      expect(answer.headers['content-type']).toBe(answers[0]!.headers['content-type']);
      expect(withoutCsrf(answer.body), logins[i]).toBe(withoutCsrf(answers[0]!.body));
    }
    expect(answers[0]!.body).toContain('Check your mail');
    // The member with an address got a link for each of the three ways they were named.
    const mails = await mailsTo(t.app, withAddress.address, 4);
    expect(mails.slice(1).map((mail) => mail.subject)).toEqual(Array(3).fill(mails[1]!.subject));
    expect(mails[1]!.subject).toContain('Reset');
  });

  it('refuses an expired link and leaves the password as it was', async () => {
    const member = await memberWithAddress(t.app, 'late');
    await askReset(t.app, member.name);
    const [, reset] = await mailsTo(t.app, member.address, 2);
    const resetPath = linkPath(reset!, '/password/reset/');
    await t.app.db
      .updateTable('email_tokens')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('user_id', '=', member.id)
      .where('purpose', '=', 'reset')
      .execute();
    const visitor = new TestClient(t.app);
    expect((await visitor.get(resetPath)).statusCode).toBe(410);
    await visitor.get('/password/forgot');
    const posted = await visitor.post(resetPath, { password: 'a password too late' });
    expect(posted.statusCode).toBe(410);
    expect(await canLogIn(t.app, member.name, PASSWORD)).toBe(true);
    expect(await canLogIn(t.app, member.name, 'a password too late')).toBe(false);
  });

  it('works once, ends every session of the member, and tells their address', async () => {
    const member = await memberWithAddress(t.app, 'resetter');
    const elsewhere = new TestClient(t.app);
    expect(
      (await elsewhere.submit('/login', '/login', { username: member.name, password: PASSWORD }))
        .statusCode,
    ).toBe(303);
    expect((await member.client.get('/account')).statusCode).toBe(200);
    expect((await elsewhere.get('/account')).statusCode).toBe(200);

    await askReset(t.app, member.address);
    const [, reset] = await mailsTo(t.app, member.address, 2);
    const resetPath = linkPath(reset!, '/password/reset/');
    const token = resetPath.split('/').at(-1)!;
    const tokens = await t.app.db.selectFrom('email_tokens').selectAll().execute();
    expect(JSON.stringify(tokens)).not.toContain(token);

    const visitor = new TestClient(t.app);
    const form = await visitor.get(resetPath);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="password"');
    const done = await visitor.post(resetPath, { password: 'a brand new password' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Your password is changed');

    for (const client of [member.client, elsewhere]) {
      const account = await client.get('/account');
      expect(account.statusCode).toBe(303);
      expect(account.headers.location).toContain('/login');
    }
    const [, , changed] = await mailsTo(t.app, member.address, 3);
    expect(changed!.subject).toMatch(/password.*changed/i);
    expect(await canLogIn(t.app, member.name, 'a brand new password')).toBe(true);
    expect(await canLogIn(t.app, member.name, PASSWORD)).toBe(false);

    // Used: the link is dead, for the page and for the form.
    expect((await visitor.get(resetPath)).statusCode).toBe(410);
    await visitor.get('/password/forgot');
    expect((await visitor.post(resetPath, { password: 'yet another password' })).statusCode).toBe(
      410,
    );
    expect(await canLogIn(t.app, member.name, 'a brand new password')).toBe(true);
  });

  it('retires every other reset link once one is used', async () => {
    const member = await memberWithAddress(t.app, 'twolinks');
    await askReset(t.app, member.name);
    await mailsTo(t.app, member.address, 2);
    await askReset(t.app, member.address);
    const [, first, second] = await mailsTo(t.app, member.address, 3);
    const firstPath = linkPath(first!, '/password/reset/');
    const secondPath = linkPath(second!, '/password/reset/');
    expect(firstPath).not.toBe(secondPath);
    expect((await new TestClient(t.app).get(firstPath)).statusCode).toBe(200);

    const visitor = new TestClient(t.app);
    await visitor.get(secondPath);
    expect((await visitor.post(secondPath, { password: 'the second link won' })).statusCode).toBe(
      200,
    );
    const late = new TestClient(t.app);
    expect((await late.get(firstPath)).statusCode).toBe(410);
    await late.get('/password/forgot');
    expect((await late.post(firstPath, { password: 'the first link lost' })).statusCode).toBe(410);
    expect(await canLogIn(t.app, member.name, 'the second link won')).toBe(true);
    expect(await canLogIn(t.app, member.name, 'the first link lost')).toBe(false);
  });

  it('answers a too-short password with the form again, and the link still works', async () => {
    const member = await memberWithAddress(t.app, 'shortpw');
    await askReset(t.app, member.name);
    const [, reset] = await mailsTo(t.app, member.address, 2);
    const resetPath = linkPath(reset!, '/password/reset/');
    const visitor = new TestClient(t.app);
    await visitor.get(resetPath);
    const short = await visitor.post(resetPath, { password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('name="password"');
    expect(short.body).toContain('10–256 characters');
    expect(await canLogIn(t.app, member.name, PASSWORD)).toBe(true);
    // The member's sessions live on: nothing was changed.
    expect((await member.client.get('/account')).statusCode).toBe(200);

    expect((await visitor.get(resetPath)).statusCode).toBe(200);
    const done = await visitor.post(resetPath, { password: 'long enough at last' });
    expect(done.statusCode).toBe(200);
    expect(await canLogIn(t.app, member.name, 'long enough at last')).toBe(true);
  });

  it('answers the sixth request naming one login within an hour with a 429', async () => {
    // The per-address limit of testConfig is far away (1,000 a minute): only the per-login one
    // can bite, and it counts a login whatever its case and spaces.
    const login = fresh('limited').name;
    const variants = [login, login.toUpperCase(), ` ${login} `, login, `${login}\t`];
    for (const variant of variants)
      expect((await askReset(t.app, variant)).statusCode, JSON.stringify(variant)).toBe(200);
    const sixth = await askReset(t.app, login);
    expect(sixth.statusCode).toBe(429);
    // Another login from the same place is still answered.
    expect((await askReset(t.app, fresh('unlimited').name)).statusCode).toBe(200);
  });
});

/**
 * An app whose database outlives it: closing the app waits for the reset work it answered before
 * doing, and the next app on the database sends what that work queued.
 */
async function durableDatabase(): Promise<{ config: Partial<Config>; drop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase({ migrated: true });
    return { config: { databaseUrl: database.url }, drop: () => database.drop() };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'email-accounts-'));
  return {
    config: { databaseUrl: undefined, dataDir },
    drop: () => rm(dataDir, { recursive: true, force: true }),
  };
}

describe('what a reset link and an old mailbox keep', () => {
  it('answers a login of spaces only with the form again, as for an empty one', async () => {
    const response = await askReset(t.app, '   ');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter your username or your email address.');
    expect(response.body).not.toContain('Check your mail');
  });

  it('a new address kills the reset links and the mail still waiting for the old one', async () => {
    const member = await memberWithAddress(t.app, 'moving');
    await askReset(t.app, member.name);
    const [, reset] = await mailsTo(t.app, member.address, 2);
    const resetPath = linkPath(reset!, '/password/reset/');
    // A mail for the old address, still queued (its server refused it so far).
    await t.app.mail.queue(t.app.db, member.id, {
      to: member.address,
      subject: 'Still waiting for the old mailbox',
      text: 'Queued before the address changed.',
      html: '<p>Queued before the address changed.</p>',
    });

    const { address: newAddress } = fresh('moved');
    expect((await setAddress(member.client, newAddress)).statusCode).toBe(303);
    await mailsTo(t.app, newAddress, 1);
    const toOld = smtp.to(member.address).map((mail) => mail.subject);
    expect(toOld).not.toContain('Still waiting for the old mailbox');
    expect(toOld.at(-1)).toMatch(/address.*changed/i);

    const visitor = new TestClient(t.app);
    expect((await visitor.get(resetPath)).statusCode).toBe(410);
    await visitor.get('/password/forgot');
    expect(
      (await visitor.post(resetPath, { password: 'taken over by the old box' })).statusCode,
    ).toBe(410);
    expect(await canLogIn(t.app, member.name, PASSWORD)).toBe(true);
  });

  it('changing the password on /account kills the reset links and tells the address', async () => {
    const member = await memberWithAddress(t.app, 'changer');
    await askReset(t.app, member.name);
    const [, reset] = await mailsTo(t.app, member.address, 2);
    const resetPath = linkPath(reset!, '/password/reset/');
    const changed = await member.client.submit('/account', '/account/password', {
      current_password: PASSWORD,
      new_password: 'changed on the account page',
    });
    expect(changed.statusCode).toBe(303);
    const [, , notice] = await mailsTo(t.app, member.address, 3);
    expect(notice!.subject).toMatch(/password.*changed/i);

    const visitor = new TestClient(t.app);
    expect((await visitor.get(resetPath)).statusCode).toBe(410);
    await visitor.get('/password/forgot');
    expect((await visitor.post(resetPath, { password: 'a link from before' })).statusCode).toBe(
      410,
    );
    expect(await canLogIn(t.app, member.name, 'changed on the account page')).toBe(true);
    expect(await canLogIn(t.app, member.name, 'a link from before')).toBe(false);
  });

  it('seals every address in a box of one size, whatever its script', async () => {
    const sizes = new Set(
      ['a@b.org', 'é@b.org', `${'é'.repeat(100)}@b.org`, `${'日'.repeat(80)}@b.org`].map(
        (address) => t.app.anonymity.sealAddress(address).length,
      ),
    );
    expect(sizes.size).toBe(1);
    const address = `${'日'.repeat(80)}@b.org`;
    expect(t.app.anonymity.openAddress(t.app.anonymity.sealAddress(address))).toBe(address);
  });

  it('never lets a cache keep or share a page opened from a mailed link', async () => {
    const cached = await createTestApp({ smtpUrl: smtp.url, pageCacheMs: 60_000 });
    try {
      const member = await memberWithPendingAddress(cached.app, 'cachedlink');
      const first = await new TestClient(cached.app).get(member.confirmPath);
      expect(first.statusCode).toBe(200);
      expect(first.headers['cache-control']).toBe('private, no-store');
      // Used once: the same link again is refused, not served from memory.
      const again = await new TestClient(cached.app).get(member.confirmPath);
      expect(again.statusCode).toBe(410);
      expect(again.headers['x-page-cache']).toBeUndefined();

      const unsubscribe = linkPath(smtp.to(member.address).at(-1)!, '/email/unsubscribe/');
      for (const path of [unsubscribe, unsubscribe]) {
        const page = await new TestClient(cached.app).get(path);
        expect(page.statusCode).toBe(200);
        expect(page.headers['cache-control']).toBe('private, no-store');
        expect(page.headers['x-page-cache']).toBeUndefined();
      }
    } finally {
      await cached.close();
    }
  });
});

describe('password reset, per account', () => {
  it('mails an account at most three reset links an hour, however it is asked for', async () => {
    const database = await durableDatabase();
    const config = testConfig({ ...database.config, smtpUrl: smtp.url });
    try {
      let app = await buildApp(config);
      await app.ready();
      const member = await memberWithAddress(app, 'capped');
      // Seven requests, none over the per-login limit: by username and by address, any case.
      const logins = [
        member.name,
        member.address,
        member.name.toUpperCase(),
        member.address.toUpperCase(),
        member.name,
        member.address,
        ` ${member.name} `,
      ];
      for (const login of logins) expect((await askReset(app, login)).statusCode).toBe(200);
      // Closing waits for the work the answers left to do; the mail it queued is sent after.
      await app.close();
      app = await buildApp(config);
      await app.ready();
      try {
        await app.mail.drain();
        const resets = smtp.to(member.address).filter((mail) => mail.subject.includes('Reset'));
        expect(resets).toHaveLength(3);
        const tokens = await app.db
          .selectFrom('email_tokens')
          .select('token_hash')
          .where('user_id', '=', member.id)
          .where('purpose', '=', 'reset')
          .execute();
        expect(tokens).toHaveLength(3);
      } finally {
        await app.close();
      }
    } finally {
      await database.drop();
    }
  }, 120_000);
});

describe('unsubscribing without logging in', () => {
  it('puts List-Unsubscribe headers for one click on every mail a member gets', async () => {
    const member = await memberWithAddress(t.app, 'headers');
    await setFrequency(member.client, 'immediate');
    const story = await postStory(member.client, { title: 'A story for the headers' });
    await replyTo(t.app, story, 'News for the member.');
    await mailDueNotices(t.app);
    await mailsTo(t.app, member.address, 2); // confirmation, digest
    await askReset(t.app, member.name);
    const [, , reset] = await mailsTo(t.app, member.address, 3);
    const visitor = new TestClient(t.app);
    const resetPath = linkPath(reset!, '/password/reset/');
    await visitor.get(resetPath);
    expect((await visitor.post(resetPath, { password: 'another long password' })).statusCode).toBe(
      200,
    );
    await mailsTo(t.app, member.address, 4); // password changed
    const client = new TestClient(t.app);
    await client.submit('/login', '/login', {
      username: member.name,
      password: 'another long password',
    });
    const next = fresh('headers-next').address;
    expect((await setAddress(client, next)).statusCode).toBe(303);
    await mailsTo(t.app, member.address, 5); // address replaced
    const [confirmNext] = await mailsTo(t.app, next, 1);
    await new TestClient(t.app).get(linkPath(confirmNext!, '/email/confirm/'));
    expect((await setAddress(client, '')).statusCode).toBe(303);
    await mailsTo(t.app, next, 2); // address removed

    const mails = [...smtp.to(member.address), ...smtp.to(next)];
    expect(mails.map((mail) => mail.subject)).toEqual([
      expect.stringContaining('Confirm'),
      expect.stringContaining('1 new reply'),
      expect.stringContaining('Reset'),
      expect.stringMatching(/password.*changed/i),
      expect.stringContaining('changed'),
      expect.stringContaining('Confirm'),
      expect.stringContaining('removed'),
    ]);
    for (const mail of mails) {
      const url = unsubscribeUrlOf(mail);
      expect(url.pathname).toMatch(new RegExp(`^/email/unsubscribe/${member.id}\\.`));
      expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.text).toContain(url.href);
      expect(mail.html).not.toBe('');
    }
  });

  async function subscribedMember(prefix: string) {
    const member = await memberWithAddress(t.app, prefix);
    await setFrequency(member.client, 'immediate');
    const story = await postStory(member.client, { title: `Story of ${member.name}` });
    await replyTo(t.app, story, 'First news.');
    await mailDueNotices(t.app);
    const [, digest] = await mailsTo(t.app, member.address, 2);
    return { ...member, story, unsubscribe: unsubscribeUrlOf(digest!).pathname };
  }
  const frequencyOf = async (id: number) => (await emailRow(t.app, id))!.frequency;

  it('unsubscribes with one POST that carries no cookie and no form token', async () => {
    const member = await subscribedMember('oneclick');
    const response = await t.app.inject({
      method: 'POST',
      url: member.unsubscribe,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('You are unsubscribed');
    expect(await frequencyOf(member.id)).toBe('never');

    await replyTo(t.app, member.story, 'News after unsubscribing.');
    expect(await mailDueNotices(t.app)).toBe(0);
    await t.app.mail.drain();
    expect(smtp.to(member.address)).toHaveLength(2);
    const account = await member.client.get('/account');
    expect(account.body).toMatch(/value="never"[^>]*checked/);
  });

  it('unsubscribes with the multipart form of RFC 8058 too', async () => {
    const member = await subscribedMember('multipart');
    const boundary = '---FormBoundaryjWmhtjORrn';
    const response = await t.app.inject({
      method: 'POST',
      url: member.unsubscribe,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: [
        `--${boundary}`,
        'Content-Disposition: form-data; name="List-Unsubscribe"',
        '',
        'One-Click',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    });
    expect(response.statusCode).toBe(200);
    expect(await frequencyOf(member.id)).toBe('never');
  });

  it('shows a page with a button on GET, and changes nothing', async () => {
    const member = await subscribedMember('getonly');
    const page = await new TestClient(t.app).get(member.unsubscribe);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(
      new RegExp(`<form method="post" action="${member.unsubscribe}">[\\s\\S]*?<button`),
    );
    expect(await frequencyOf(member.id)).toBe('immediate');
    // Still subscribed: the next news is mailed.
    await replyTo(t.app, member.story, 'More news.');
    expect(await mailDueNotices(t.app)).toBe(1);
    await mailsTo(t.app, member.address, 3);
  });

  it('answers a tampered link with a 404 and changes nothing', async () => {
    const member = await subscribedMember('tamper');
    const victim = await subscribedMember('victim');
    const [, signature] = /\/(\d+)\.([A-Za-z0-9_-]+)$/.exec(member.unsubscribe)!.slice(1);
    const flipped = signature!.startsWith('A')
      ? `B${signature!.slice(1)}`
      : `A${signature!.slice(1)}`;
    const forged = [
      `/email/unsubscribe/${victim.id}.${signature}`, // another member's id, this signature
      `/email/unsubscribe/${member.id}.${flipped}`, // a changed signature
      `/email/unsubscribe/${member.id}.${signature!.slice(0, -1)}`, // a shortened one
      `/email/unsubscribe/${member.id}`,
    ];
    for (const url of forged) {
      const get = await t.app.inject({ method: 'GET', url });
      expect(get.statusCode, url).toBe(404);
      const post = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(post.statusCode, url).toBe(404);
    }
    expect(await frequencyOf(member.id)).toBe('immediate');
    expect(await frequencyOf(victim.id)).toBe('immediate');
  });
});

// ---------------------------------------------------------------------------------------------

describe('delivery', () => {
  let d: TestApp;
  beforeAll(async () => {
    d = await createTestApp({ smtpUrl: smtp.url });
  });
  afterAll(async () => {
    smtp.refuse = null;
    await d?.close();
  });

  async function queueMails(app: FastifyInstance, count: number, tag: string) {
    const { address } = fresh(tag);
    for (let i = 0; i < count; i++)
      await app.mail.queue(app.db, 1, {
        to: address,
        subject: `${tag} mail ${i}`,
        text: `Mail number ${i}.`,
        html: `<p>Mail number ${i}.</p>`,
      });
    return address;
  }

  it('keeps a refused mail queued, backs off, records no address, and sends it once later', async () => {
    const address = await queueMails(d.app, 1, 'refused');
    smtp.refuse = { code: 451, message: `try later, <${address}> is over its quota` };
    try {
      expect(await d.app.mail.drain()).toEqual({ sent: 0, failed: 1 });
      const [row] = await d.app.db
        .selectFrom('mail_queue')
        .select([
          'attempts',
          'last_error',
          'failed_at',
          sql<boolean>`next_attempt_at > now()`.as('later'),
        ])
        .execute();
      expect(row).toMatchObject({ attempts: 1, failed_at: null, later: true });
      expect(row!.last_error).toContain('try later');
      expect(row!.last_error!.toLowerCase()).not.toContain(address);
      expect(row!.last_error!.toLowerCase()).not.toContain(domainOf(address));
      // Not due yet: nothing is tried.
      expect(await d.app.mail.drain()).toEqual({ sent: 0, failed: 0 });
    } finally {
      smtp.refuse = null;
    }
    expect(smtp.to(address)).toEqual([]);
    await d.app.db
      .updateTable('mail_queue')
      .set({ next_attempt_at: sql<Date>`now()` })
      .execute();
    expect(await d.app.mail.drain()).toEqual({ sent: 1, failed: 0 });
    expect(await d.app.mail.drain()).toEqual({ sent: 0, failed: 0 });
    expect(smtp.to(address)).toHaveLength(1);
    expect(await d.app.db.selectFrom('mail_queue').selectAll().execute()).toEqual([]);
  });

  it('gives a mail up after maxAttempts and never tries it again', async () => {
    const app = await createTestApp({
      smtpUrl: smtp.url,
      mail: { pollMs: 0, retryMs: 10, maxAttempts: 2 },
    });
    try {
      const address = await queueMails(app.app, 1, 'doomed');
      smtp.refuse = { code: 451, message: 'try later' };
      expect(await app.app.mail.drain()).toEqual({ sent: 0, failed: 1 });
      await app.app.db
        .updateTable('mail_queue')
        .set({ next_attempt_at: sql<Date>`now()` })
        .execute();
      expect(await app.app.mail.drain()).toEqual({ sent: 0, failed: 1 });
      const [row] = await app.app.db.selectFrom('mail_queue').selectAll().execute();
      expect(row!.attempts).toBe(2);
      expect(row!.failed_at).not.toBeNull();

      smtp.refuse = null;
      await app.app.db
        .updateTable('mail_queue')
        .set({ next_attempt_at: sql<Date>`now()` })
        .execute();
      expect(await app.app.mail.drain()).toEqual({ sent: 0, failed: 0 });
      expect(smtp.to(address)).toEqual([]);
      const [after] = await app.app.db.selectFrom('mail_queue').selectAll().execute();
      expect(after!.attempts).toBe(2);
    } finally {
      smtp.refuse = null;
      await app.close();
    }
  });

  it('sends each queued mail once when two drains run at once', async () => {
    const address = await queueMails(d.app, 15, 'twice');
    const results = await Promise.all([d.app.mail.drain(), d.app.mail.drain()]);
    expect(results[0]!.sent + results[1]!.sent).toBe(15);
    const subjects = smtp.to(address).map((mail) => mail.subject);
    expect(subjects).toHaveLength(15);
    expect(new Set(subjects).size).toBe(15);
    expect(await d.app.db.selectFrom('mail_queue').selectAll().execute()).toEqual([]);
  });

  describe.runIf(process.env.DATABASE_URL)('two instances on one database', () => {
    let database: TestDatabase;
    let one: FastifyInstance;
    let two: FastifyInstance;
    beforeAll(async () => {
      database = await createTestDatabase({ migrated: true });
      const config = testConfig({ databaseUrl: database.url, smtpUrl: smtp.url });
      [one, two] = await Promise.all([buildApp(config), buildApp(config)]);
      await Promise.all([one.ready(), two.ready()]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all([one?.close(), two?.close()]);
      await database?.drop();
    });

    it('send each queued mail exactly once', async () => {
      const address = await queueMails(one, 45, 'instances');
      const results = await Promise.all([
        one.mail.drain(),
        two.mail.drain(),
        two.mail.drain(),
        one.mail.drain(),
      ]);
      expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(45);
      expect(results.every((result) => result.failed === 0)).toBe(true);
      const subjects = smtp.to(address).map((mail) => mail.subject);
      expect(subjects).toHaveLength(45);
      expect(new Set(subjects).size).toBe(45);
      // Both instances sent some: the queue was shared, not drained by one alone.
      expect(results[0]!.sent + results[3]!.sent).toBeGreaterThan(0);
      expect(results[1]!.sent + results[2]!.sent).toBeGreaterThan(0);
      expect(await one.db.selectFrom('mail_queue').selectAll().execute()).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------

type LogLine = Record<string, unknown> & { msg: string };

function capture() {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text) lines.push(text);
      done();
    },
  });
  return { lines, logStream };
}

describe('logs', () => {
  it('never carry an address or its domain, through confirmation, reset and a refused delivery', async () => {
    const database = await createTestDatabase({ migrated: true });
    const { lines, logStream } = capture();
    const app = await buildApp(
      testConfig({ databaseUrl: database.url, smtpUrl: smtp.url, logLevel: 'info' }),
      { logStream },
    );
    await app.ready();
    try {
      const member = await memberWithAddress(app, 'logged');
      await askReset(app, member.address);
      const [, reset] = await mailsTo(app, member.address, 2);
      const resetPath = linkPath(reset!, '/password/reset/');
      const visitor = new TestClient(app);
      await visitor.get(resetPath);
      expect(
        (await visitor.post(resetPath, { password: 'a logged new password' })).statusCode,
      ).toBe(200);
      smtp.refuse = { code: 451, message: `try later, <${member.address}> is over its quota` };
      try {
        expect((await app.mail.drain()).failed).toBe(1); // the password-changed mail
      } finally {
        smtp.refuse = null;
      }
      // The account page, with the address on it, is logged as a request too.
      const client = new TestClient(app);
      await client.submit('/login', '/login', {
        username: member.name,
        password: 'a logged new password',
      });
      expect((await client.get('/account')).body).toContain(member.address);

      const parsed = lines.map((line) => JSON.parse(line) as LogLine);
      expect(parsed.some((line) => line.msg === 'mail not sent')).toBe(true);
      expect(parsed.filter((line) => line.msg === 'request completed').length).toBeGreaterThan(5);
      // Nor a mailed link's token: the reset page was requested, and logged, with it.
      const tokens = [resetPath, member.confirmPath].map((path) => path.split('/').at(-1)!);
      expect(lines.some((line) => line.includes('/password/reset/[token]'))).toBe(true);
      for (const line of lines) {
        expect(line.toLowerCase()).not.toContain(member.address);
        expect(line.toLowerCase()).not.toContain(domainOf(member.address));
        for (const token of tokens) expect(line).not.toContain(token);
      }
    } finally {
      smtp.refuse = null;
      await app.close();
      await database.drop();
    }
  });
});

describe('without SMTP_URL', () => {
  it('writes a confirmation mail to DATA_DIR/outbox and logs its link, not its address', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'email-outbox-'));
    const database = await createTestDatabase({ migrated: true });
    const { lines, logStream } = capture();
    const app = await buildApp(
      testConfig({ databaseUrl: database.url, dataDir, smtpUrl: undefined, logLevel: 'info' }),
      { logStream },
    );
    await app.ready();
    try {
      const { name, address } = fresh('outboxed');
      const client = new TestClient(app);
      await registerMember(client, name);
      expect((await setAddress(client, address)).statusCode).toBe(303);
      expect(await app.mail.drain()).toEqual({ sent: 1, failed: 0 });

      const outbox = path.join(dataDir, 'outbox');
      const files = await readdir(outbox);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const file = path.join(outbox, files[0]!);
      expect((await stat(file)).mode & 0o077).toBe(0);
      const eml = await readFile(file, 'utf8');
      expect(eml).toMatch(new RegExp(`^To: ${address}`, 'mi'));
      expect(eml).toMatch(/^Subject: Confirm/m);
      expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);

      const parsed = lines.map((line) => JSON.parse(line) as LogLine & { links?: string[] });
      const written = parsed.find((line) => line.msg === 'mail written to the outbox');
      expect(written).toBeDefined();
      const link = written!.links!.find((url) => url.includes('/email/confirm/'));
      expect(link).toBeDefined();
      for (const line of lines) {
        expect(line.toLowerCase()).not.toContain(address);
        expect(line.toLowerCase()).not.toContain(domainOf(address));
      }
      // The logged link is enough to confirm the address.
      const confirmed = await new TestClient(app).get(new URL(link!).pathname);
      expect(confirmed.statusCode).toBe(200);
    } finally {
      await app.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
