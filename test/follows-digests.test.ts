import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { markNoticesRead, postReply, postStory } from './helpers/content.js';
import { MailCatcher, linkPath, type ReceivedMail } from './helpers/mail.js';
import { updateRole } from '../server/accounts/queries.js';
import type { MailFrequency } from '../server/db/schema.js';
import { mailDueNotices } from '../server/email/digests.js';

// Following vendors, the notices it brings, and the mail of notices (issue 15), against a real
// SMTP server in the test process. Every test has members, vendors and stories of its own, so
// that a digest run in one test has nothing to tell another test's members.

const PASSWORD = 'correct horse battery';
const PUBLIC_URL = 'http://forum.example.org';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let t: TestApp;
let smtp: MailCatcher;
let moderator: TestClient;

beforeAll(async () => {
  smtp = await new MailCatcher().start();
  t = await createTestApp({ smtpUrl: smtp.url });
  moderator = new TestClient(t.app);
  await registerMember(moderator, 'fd-moderator');
  await updateRole(t.app.db, 'fd-moderator', 'moderator');
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

interface Member {
  name: string;
  id: number;
  client: TestClient;
  address: string;
}

async function newMember(name: string): Promise<Member> {
  const client = new TestClient(t.app);
  await registerMember(client, name, PASSWORD);
  const { id } = await t.app.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', name)
    .executeTakeFirstOrThrow();
  return { name, id, client, address: `${name}@example.org` };
}

async function slugOf(vendor: string) {
  const row = await t.app.db
    .selectFrom('vendors')
    .select('slug')
    .where('name', '=', vendor)
    .executeTakeFirstOrThrow();
  return row.slug;
}

/** Presses the button on the vendor page, as a member would. */
async function follow(member: Member, slug: string, action: 'follow' | 'unfollow' = 'follow') {
  await member.client.get(`/vendors/${slug}`);
  const response = await member.client.post(`/vendors/${slug}/follow`, { action });
  expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
  expect(response.headers.location).toBe(`/vendors/${slug}`);
  return response;
}

async function followedSlugs(memberId: number) {
  const rows = await t.app.db
    .selectFrom('vendor_follows')
    .innerJoin('vendors', 'vendors.id', 'vendor_follows.vendor_id')
    .select('vendors.slug')
    .where('vendor_follows.user_id', '=', memberId)
    .orderBy('vendors.slug')
    .execute();
  return rows.map((row) => row.slug);
}

async function followerCount(slug: string) {
  const row = await t.app.db
    .selectFrom('vendor_follows')
    .innerJoin('vendors', 'vendors.id', 'vendor_follows.vendor_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('vendors.slug', '=', slug)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The header's unread count, as any page shows it. */
async function unread(client: TestClient) {
  const match = /Notifications <span class="unread-count">(\d+)</.exec(
    (await client.get('/')).body,
  );
  return match ? Number(match[1]) : 0;
}

async function hide(kind: 'threads' | 'replies', id: number) {
  await moderator.get('/mod');
  const response = await moderator.post(`/mod/${kind}/${id}`, {
    action: 'hide',
    reason: 'Hidden by a test',
    next: '/mod',
  });
  expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
}

/** Adds an address on /account, confirms it through the mailed link, and chooses a frequency. */
async function giveAddress(member: Member, frequency: MailFrequency) {
  await member.client.get('/account');
  const saved = await member.client.post('/account/email', { email: member.address });
  expect(saved.statusCode, saved.body.slice(0, 500)).toBe(303);
  await t.app.mail.drain();
  const [confirm] = await smtp.waitFor(member.address, 1);
  const confirmed = await new TestClient(t.app).get(linkPath(confirm!, '/email/confirm/'));
  expect(confirmed.statusCode).toBe(200);
  expect(confirmed.body).toContain('Your address is confirmed');
  await member.client.get('/account');
  const chosen = await member.client.post('/account/email/frequency', { frequency });
  expect(chosen.statusCode, chosen.body.slice(0, 500)).toBe(303);
}

async function queuedFor(memberId: number) {
  const row = await t.app.db
    .selectFrom('mail_queue')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient', '=', t.app.anonymity.mailRecipient(memberId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Runs the digests as the worker would at `at`, sends what they queued, and returns the mails
 * that reached the member in that run. The queue is drained before this returns, and the SMTP
 * server keeps a mail before it acknowledges it, so a mail not there was not sent.
 */
async function digestRun(member: Member, at: Date) {
  const before = smtp.to(member.address).length;
  await mailDueNotices(t.app, at);
  await t.app.mail.drain();
  expect(await queuedFor(member.id), 'mail left in the queue').toBe(0);
  return smtp.to(member.address).slice(before);
}

const later = (ms: number) => new Date(Date.now() + ms);

const idsIn = (text: string, kind: 'threads' | 'replies') =>
  [...text.matchAll(new RegExp(`${PUBLIC_URL}/${kind}/(\\d+)`, 'g'))]
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

/** Every digest carries a one-click unsubscribe link for its member, in its headers and text. */
function expectUnsubscribeLink(mail: ReceivedMail, member: Member) {
  const header = mail.header('List-Unsubscribe') ?? '';
  expect(header).toMatch(
    new RegExp(`^<${PUBLIC_URL}/email/unsubscribe/${member.id}\\.[A-Za-z0-9_-]{43}>$`),
  );
  expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
  expect(mail.text).toContain(header.slice(1, -1));
  return new URL(header.slice(1, -1)).pathname;
}

interface Story {
  id: number;
  title: string;
}
interface Reply {
  id: number;
  actor: string;
  title: string;
}

/** The mail lists exactly these stories and replies, each with its link, and nothing else. */
function expectDigest(mail: ReceivedMail, member: Member, vendor: string, news: News) {
  expectUnsubscribeLink(mail, member);
  expect(mail.text).toContain(`Hello ${member.name},`);
  expect(idsIn(mail.text, 'threads')).toEqual(sorted(news.stories.map((story) => story.id)));
  expect(idsIn(mail.text, 'replies')).toEqual(sorted(news.replies.map((reply) => reply.id)));
  for (const story of news.stories) {
    expect(mail.text).toContain(
      `- ${story.title} (about ${vendor})\n  ${PUBLIC_URL}/threads/${story.id}\n`,
    );
    expect(mail.html).toContain(`href="${PUBLIC_URL}/threads/${story.id}"`);
    expect(mail.html).toContain(story.title);
  }
  for (const reply of news.replies) {
    expect(mail.text).toContain(
      `- ${reply.actor} replied to "${reply.title}"\n  ${PUBLIC_URL}/replies/${reply.id}\n`,
    );
    expect(mail.html).toContain(`href="${PUBLIC_URL}/replies/${reply.id}"`);
    expect(mail.html).toContain(`<strong>${reply.actor}</strong> replied to`);
  }
  for (const name of news.unnamed) {
    expect(mail.text).not.toContain(name);
    expect(mail.html).not.toContain(name);
  }
}

interface News {
  stories: Story[];
  replies: Reply[];
  /** Titles and names the mail must not hold. */
  unnamed: string[];
}

interface Scene {
  reader: Member;
  teller: Member;
  vendor: string;
  /** The reader's named story, about another vendor: replies to it are news to them. */
  ownStory: Story;
  news: News;
}

async function pseudonymOf(replyId: number) {
  const row = await t.app.db
    .selectFrom('replies')
    .select('pseudonym')
    .where('id', '=', replyId)
    .executeTakeFirstOrThrow();
  return `Anonymous provider · ${row.pseudonym}`;
}

/**
 * A reader who follows a vendor and chose `frequency` for a confirmed address; then what is
 * news to them (stories about the vendor by others, named and anonymous; replies to their named
 * and to their anonymous story) and what is not (their own stories and replies, a hidden story,
 * a hidden reply, and whatever came before).
 */
async function scene(tag: string, frequency: MailFrequency): Promise<Scene> {
  const reader = await newMember(`fd-${tag}-reader`);
  const teller = await newMember(`fd-${tag}-teller`);
  const other = await newMember(`fd-${tag}-other`);
  const hidden = await newMember(`fd-${tag}-hidden`);
  const vendor = `Digest ${tag} Systems`;
  const before = `Told before the follow (${tag})`;
  await postStory(teller.client, { vendors: vendor, title: before });
  const ownTitle = `Named story of the reader (${tag})`;
  const ownStory = {
    id: await postStory(reader.client, { vendors: `Own ${tag} Vendor`, title: ownTitle }),
    title: ownTitle,
  };
  await follow(reader, await slugOf(vendor));
  await postReply(teller.client, ownStory.id, 'A reply before the address was confirmed');
  await giveAddress(reader, frequency);

  const anonymousTitle = `Anonymous story of the reader (${tag})`;
  const anonymousOwn = await postStory(reader.client, {
    vendors: vendor,
    title: anonymousTitle,
    anonymous: true,
  });
  const namedOwnTitle = `The reader tells of the vendor (${tag})`;
  await postStory(reader.client, { vendors: vendor, title: namedOwnTitle });
  const named = { title: `Named news (${tag})`, id: 0 };
  named.id = await postStory(teller.client, { vendors: vendor, title: named.title });
  const anonymous = { title: `Anonymous news (${tag})`, id: 0 };
  anonymous.id = await postStory(other.client, {
    vendors: vendor,
    title: anonymous.title,
    anonymous: true,
  });
  const hiddenTitle = `Hidden news (${tag})`;
  await hide('threads', await postStory(other.client, { vendors: vendor, title: hiddenTitle }));

  const toNamed = await postReply(teller.client, ownStory.id, 'A named reply');
  const toAnonymous = await postReply(other.client, anonymousOwn, 'A reply to the anonymous one');
  const anonymousReply = await postReply(teller.client, ownStory.id, 'An anonymous reply', true);
  await postReply(reader.client, ownStory.id, 'The reader answers');
  await postReply(reader.client, anonymousOwn, 'The reader answers anonymously', true);
  await hide('replies', await postReply(hidden.client, ownStory.id, 'A reply to hide'));
  return {
    reader,
    teller,
    vendor,
    ownStory,
    news: {
      stories: [named, anonymous],
      replies: [
        { id: toNamed, actor: teller.name, title: ownTitle },
        { id: toAnonymous, actor: other.name, title: anonymousTitle },
        { id: anonymousReply, actor: await pseudonymOf(anonymousReply), title: ownTitle },
      ],
      unnamed: [before, namedOwnTitle, hiddenTitle, hidden.name, 'The reader answers'],
    },
  };
}

describe('following a vendor', () => {
  it('needs a login, a form token, a vendor and an action; twice is once', async () => {
    const teller = await newMember('fd-gate-teller');
    const member = await newMember('fd-gate-member');
    const vendor = 'Follow Gate Networks';
    await postStory(teller.client, { vendors: vendor, title: 'A story to make the vendor' });
    const slug = await slugOf(vendor);

    const visitor = new TestClient(t.app);
    const visitorPage = await visitor.get(`/vendors/${slug}`);
    expect(visitorPage.body).toContain('Log in to follow');
    expect(visitorPage.body).not.toContain(`>Follow ${vendor}</button>`);
    await visitor.get('/login');
    const asVisitor = await visitor.post(`/vendors/${slug}/follow`, { action: 'follow' });
    expect(asVisitor.statusCode).toBe(303);
    expect(String(asVisitor.headers.location)).toMatch(/^\/login\b/);
    expect(await followerCount(slug)).toBe(0);

    const page = await member.client.get(`/vendors/${slug}`);
    expect(page.body).toContain(`>Follow ${vendor}</button>`);
    const forged = await member.client.post(`/vendors/${slug}/follow`, {
      action: 'follow',
      _csrf: null,
    });
    expect(forged.statusCode).toBe(403);
    expect(await followerCount(slug)).toBe(0);

    await member.client.get(`/vendors/${slug}`);
    const unknown = await member.client.post('/vendors/no-such-vendor-anywhere/follow', {
      action: 'follow',
    });
    expect(unknown.statusCode).toBe(404);
    for (const form of [{ action: 'subscribe' }, {}] as Record<string, string>[]) {
      await member.client.get(`/vendors/${slug}`);
      const bad = await member.client.post(`/vendors/${slug}/follow`, form);
      expect(bad.statusCode, JSON.stringify(form)).toBe(400);
    }
    expect(await followerCount(slug)).toBe(0);

    await follow(member, slug);
    await follow(member, slug);
    expect(await followedSlugs(member.id)).toEqual([slug]);
    const following = await member.client.get(`/vendors/${slug}`);
    expect(following.body).toContain(`>Following ${vendor} · unfollow</button>`);
    expect(following.body).toContain('name="action" value="unfollow"');
    // Another member's page is their own: it does not say the first one follows.
    expect((await teller.client.get(`/vendors/${slug}`)).body).toContain(
      `>Follow ${vendor}</button>`,
    );

    await follow(member, slug, 'unfollow');
    expect(await followedSlugs(member.id)).toEqual([]);
    expect((await member.client.get(`/vendors/${slug}`)).body).toContain(
      `>Follow ${vendor}</button>`,
    );
  });

  it('is listed on the account page with unfollow buttons, to the member only', async () => {
    const teller = await newMember('fd-list-teller');
    const member = await newMember('fd-list-member');
    const onlooker = await newMember('fd-list-onlooker');
    const vendors = ['Listed Alpha Works', 'Listed Bravo Works'];
    for (const vendor of vendors)
      await postStory(teller.client, { vendors: vendor, title: `A story about ${vendor}` });
    const [alpha, bravo] = [await slugOf(vendors[0]!), await slugOf(vendors[1]!)];
    const section = (body: string) =>
      /<section aria-labelledby="follows-heading"[\s\S]*?<\/section>/.exec(body)?.[0] ?? '';

    expect(section((await member.client.get('/account')).body)).toContain(
      'You follow no vendor yet.',
    );
    await follow(member, alpha);
    await follow(member, bravo);
    const list = section((await member.client.get('/account')).body);
    for (const [vendor, slug] of [
      [vendors[0]!, alpha],
      [vendors[1]!, bravo],
    ]) {
      expect(list).toContain(`<a href="/vendors/${slug}">${vendor}</a>`);
      expect(list).toContain(`<form method="post" action="/vendors/${slug}/follow"`);
    }
    expect(list.match(/name="action" value="unfollow"/g)).toHaveLength(2);

    // Nobody else sees it: not another member's account page, nor the member's public profile.
    expect(section((await onlooker.client.get('/account')).body)).toContain(
      'You follow no vendor yet.',
    );
    for (const client of [onlooker.client, new TestClient(t.app), member.client]) {
      const profile = await client.get(`/users/${member.name}`);
      expect(profile.statusCode).toBe(200);
      for (const vendor of vendors) expect(profile.body).not.toContain(vendor);
    }

    // The list's own button unfollows and comes back to the list; a foreign "back" goes nowhere.
    await member.client.get('/account');
    const unfollowed = await member.client.post(`/vendors/${alpha}/follow`, {
      action: 'unfollow',
      back: '/account#follows-heading',
    });
    expect(unfollowed.statusCode).toBe(303);
    expect(unfollowed.headers.location).toBe('/account#follows-heading');
    const after = section((await member.client.get('/account')).body);
    expect(after).not.toContain(vendors[0]!);
    expect(after).toContain(vendors[1]!);
    await member.client.get('/account');
    const away = await member.client.post(`/vendors/${bravo}/follow`, {
      action: 'unfollow',
      back: 'https://evil.example/',
    });
    expect(away.statusCode).toBe(303);
    expect(away.headers.location).toBe('/');
    expect(await followedSlugs(member.id)).toEqual([]);
  });

  it('moves to the surviving vendor when a moderator merges two, once for who followed both', async () => {
    const teller = await newMember('fd-merge-teller');
    const one = await newMember('fd-merge-one');
    const both = await newMember('fd-merge-both');
    await postStory(teller.client, { vendors: 'Merge Source Works', title: 'Source story' });
    await postStory(teller.client, { vendors: 'Merge Target Works', title: 'Target story' });
    const [source, target] = [
      await slugOf('Merge Source Works'),
      await slugOf('Merge Target Works'),
    ];
    await follow(one, source);
    await follow(both, source);
    await follow(both, target);

    await moderator.get('/mod');
    const merged = await moderator.post('/mod/vendors/merge', {
      from: source,
      into: target,
      reason: 'the same company',
    });
    expect(merged.statusCode, merged.body.slice(0, 500)).toBe(303);

    expect(await followedSlugs(one.id)).toEqual([target]);
    expect(await followedSlugs(both.id)).toEqual([target]);
    expect((await one.client.get('/account')).body).toContain(
      `<a href="/vendors/${target}">Merge Target Works</a>`,
    );
    expect((await one.client.get(`/vendors/${target}`)).body).toContain(
      '>Following Merge Target Works · unfollow</button>',
    );
    // And the follow still brings news: a new story about the surviving vendor.
    expect(await unread(one.client)).toBe(0);
    const news = await postStory(teller.client, {
      vendors: 'Merge Target Works',
      title: 'News after the merge',
    });
    expect(await unread(one.client)).toBe(1);
    expect(await unread(both.client)).toBe(1);
    expect((await one.client.get('/notifications')).body).toContain(
      `New story about Merge Target Works: <a href="/threads/${news}">News after the merge</a>.`,
    );
  });
});

describe('notices of new stories about followed vendors', () => {
  it('come for stories by others, named or anonymous, visible and told since following', async () => {
    const follower = await newMember('fd-notice-follower');
    const teller = await newMember('fd-notice-teller');
    const other = await newMember('fd-notice-other');
    const vendor = 'Notice Harbor Systems';
    const before = 'Told before anyone followed';
    await postStory(teller.client, { vendors: vendor, title: before });
    const slug = await slugOf(vendor);
    await follow(follower, slug);
    expect(await unread(follower.client)).toBe(0);

    const named = await postStory(teller.client, { vendors: vendor, title: 'A named story' });
    const anonymous = await postStory(other.client, {
      vendors: vendor,
      title: 'An anonymous story',
      anonymous: true,
    });
    // Their own stories about it, named and anonymous, are not news to them.
    await postStory(follower.client, { vendors: vendor, title: 'The follower tells' });
    await postStory(follower.client, {
      vendors: vendor,
      title: 'The follower tells anonymously',
      anonymous: true,
    });
    // Nor is a story moderators hid.
    const hidden = await postStory(teller.client, { vendors: vendor, title: 'A story to hide' });
    await hide('threads', hidden);

    expect(await unread(follower.client)).toBe(2);
    const page = (await follower.client.get('/notifications')).body;
    expect(page).toContain(
      `New story about ${vendor}: <a href="/threads/${named}">A named story</a>. You follow ${vendor}.`,
    );
    expect(page).toContain(
      `New story about ${vendor}: <a href="/threads/${anonymous}">An anonymous story</a>.`,
    );
    expect(page.match(/notice-unread/g)).toHaveLength(2);
    for (const absent of [before, 'The follower tells', 'A story to hide', teller.name, other.name])
      expect(page).not.toContain(absent);
    // Someone who does not follow the vendor is told nothing.
    expect(await unread(other.client)).toBe(0);

    const marked = await markNoticesRead(follower.client);
    expect(marked.statusCode).toBe(303);
    expect(await unread(follower.client)).toBe(0);
    expect((await follower.client.get('/notifications')).body).not.toContain('notice-unread');

    await follow(follower, slug, 'unfollow');
    await postStory(teller.client, { vendors: vendor, title: 'Told after the unfollow' });
    expect(await unread(follower.client)).toBe(0);
    expect((await follower.client.get('/notifications')).body).not.toContain(
      'Told after the unfollow',
    );
  });
});

describe('mail of notices', () => {
  it('right away: what is new on the next run, nothing when nothing is new', async () => {
    const s = await scene('imm', 'immediate');
    const [mail, ...more] = await digestRun(s.reader, new Date());
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('2 new stories and 3 new replies: your Partner Stories news');
    expect(mail!.text).toContain('There is news for you on Partner Stories.');
    expectDigest(mail!, s.reader, s.vendor, s.news);

    expect(await digestRun(s.reader, new Date())).toHaveLength(0);

    const reply = await postReply(s.teller.client, s.ownStory.id, 'One more reply');
    const [next, ...extra] = await digestRun(s.reader, new Date());
    expect(extra).toHaveLength(0);
    expect(next!.subject).toBe('1 new reply: your Partner Stories news');
    expectDigest(next!, s.reader, s.vendor, {
      stories: [],
      replies: [{ id: reply, actor: s.teller.name, title: s.ownStory.title }],
      unnamed: ['New stories about vendors you follow', ...s.news.stories.map((x) => x.title)],
    });
  }, 120_000);

  it('daily: one digest a day, of everything since the address was confirmed', async () => {
    const s = await scene('day', 'daily');
    expect(await digestRun(s.reader, new Date())).toHaveLength(0);
    expect(await digestRun(s.reader, later(23 * HOUR))).toHaveLength(0);

    const [mail, ...more] = await digestRun(s.reader, later(25 * HOUR));
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe(
      '2 new stories and 3 new replies: your Partner Stories daily digest',
    );
    expect(mail!.text).toContain('since your last daily digest');
    expectDigest(mail!, s.reader, s.vendor, s.news);

    // Nothing more that day, even with news; the next day brings it.
    const reply = await postReply(s.teller.client, s.ownStory.id, 'A reply the next day');
    expect(await digestRun(s.reader, later(26 * HOUR))).toHaveLength(0);
    expect(await digestRun(s.reader, later(47 * HOUR))).toHaveLength(0);
    const [next, ...extra] = await digestRun(s.reader, later(50 * HOUR));
    expect(extra).toHaveLength(0);
    expect(next!.subject).toBe('1 new reply: your Partner Stories daily digest');
    expectDigest(next!, s.reader, s.vendor, {
      stories: [],
      replies: [{ id: reply, actor: s.teller.name, title: s.ownStory.title }],
      unnamed: s.news.stories.map((x) => x.title),
    });
    // A day with no news brings no mail.
    expect(await digestRun(s.reader, later(75 * HOUR))).toHaveLength(0);
  }, 120_000);

  it('weekly: nothing after a day, one digest after the week', async () => {
    const s = await scene('week', 'weekly');
    expect(await digestRun(s.reader, new Date())).toHaveLength(0);
    expect(await digestRun(s.reader, later(25 * HOUR))).toHaveLength(0);
    expect(await digestRun(s.reader, later(6 * DAY))).toHaveLength(0);
    const [mail, ...more] = await digestRun(s.reader, later(7 * DAY + HOUR));
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe(
      '2 new stories and 3 new replies: your Partner Stories weekly digest',
    );
    expect(mail!.text).toContain('since your last weekly digest');
    expectDigest(mail!, s.reader, s.vendor, s.news);
    expect(await digestRun(s.reader, later(7 * DAY + 2 * HOUR))).toHaveLength(0);
  }, 120_000);

  it('never: no mail at all, while the notices are on the site', async () => {
    const s = await scene('never', 'never');
    for (const at of [new Date(), later(25 * HOUR), later(8 * DAY), later(30 * DAY)])
      expect(await digestRun(s.reader, at)).toHaveLength(0);
    expect(smtp.to(s.reader.address)).toHaveLength(1); // the confirmation, nothing else
    // Two stories, and four replies: one came before the address was confirmed.
    expect(await unread(s.reader.client)).toBe(6);
  }, 120_000);

  it('stop when the member unsubscribes through the link, without logging in', async () => {
    const s = await scene('unsub', 'immediate');
    const [mail] = await digestRun(s.reader, new Date());
    const path = expectUnsubscribeLink(mail!, s.reader);

    const visitor = new TestClient(t.app);
    const page = await visitor.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<form method="post" action="${path}">`);
    const forged = path.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await visitor.get(forged)).statusCode).toBe(404);
    // Another member's id with this member's signature is no link.
    const otherId = path.replace(`/${s.reader.id}.`, `/${s.teller.id}.`);
    expect((await visitor.get(otherId)).statusCode).toBe(404);

    // One click from a mail program (RFC 8058): no cookie, no form token.
    const oneClick = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain('You are unsubscribed');
    const account = (await s.reader.client.get('/account')).body;
    expect(account).toMatch(/value="never"[^>]*checked/);

    await postReply(s.teller.client, s.ownStory.id, 'A reply after unsubscribing');
    expect(await digestRun(s.reader, new Date())).toHaveLength(0);
    expect(await digestRun(s.reader, later(8 * DAY))).toHaveLength(0);
  }, 120_000);

  it('lists twenty stories and counts the rest', async () => {
    const reader = await newMember('fd-many-reader');
    const teller = await newMember('fd-many-teller');
    const vendor = 'Many Stories Systems';
    await postStory(teller.client, { vendors: vendor, title: 'The first one, before' });
    await follow(reader, await slugOf(vendor));
    await giveAddress(reader, 'immediate');
    const ids: number[] = [];
    for (let n = 1; n <= 23; n++)
      ids.push(await postStory(teller.client, { vendors: vendor, title: `Story number ${n}` }));

    const [mail, ...more] = await digestRun(reader, new Date());
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe('23 new stories: your Partner Stories news');
    // The newest twenty are listed, with their links; three more are counted.
    expect(idsIn(mail!.text, 'threads')).toEqual(ids.slice(3));
    for (const n of [4, 23]) expect(mail!.text).toContain(`- Story number ${n} (about ${vendor})`);
    for (const n of [1, 2, 3]) expect(mail!.text).not.toContain(`Story number ${n} `);
    expect(mail!.text).toContain('...and 3 more.');
    expect(mail!.html).toContain('…and 3 more.');
    expect(mail!.html.match(/\/threads\/\d+"/g)).toHaveLength(20);
    expectUnsubscribeLink(mail!, reader);
  }, 120_000);
});

describe('two workers mailing at once', () => {
  it('queue one mail per due member, not two', async () => {
    const teller = await newMember('fd-race-teller');
    const vendor = 'Race Condition Networks';
    await postStory(teller.client, { vendors: vendor, title: 'The race vendor is here' });
    const slug = await slugOf(vendor);
    const readers: Member[] = [];
    for (const [n, frequency] of [
      ['a', 'immediate'],
      ['b', 'immediate'],
      ['c', 'immediate'],
      ['d', 'daily'],
      ['e', 'daily'],
      ['f', 'weekly'],
    ] as const) {
      const reader = await newMember(`fd-race-${n}`);
      await follow(reader, slug);
      await giveAddress(reader, frequency);
      readers.push(reader);
    }
    const news = await postStory(teller.client, { vendors: vendor, title: 'News for the race' });

    const at = later(7 * DAY + HOUR);
    const [first, second] = await Promise.all([
      mailDueNotices(t.app, at),
      mailDueNotices(t.app, at),
    ]);
    expect(first + second).toBeGreaterThanOrEqual(readers.length);
    for (const reader of readers) expect(await queuedFor(reader.id), reader.name).toBe(1);

    await t.app.mail.drain();
    for (const reader of readers) {
      const mails = smtp.to(reader.address).slice(1);
      expect(mails, reader.name).toHaveLength(1);
      expect(idsIn(mails[0]!.text, 'threads')).toEqual([news]);
    }
    // And once more, both at once: nothing new, nothing sent.
    await Promise.all([mailDueNotices(t.app, at), mailDueNotices(t.app, at)]);
    for (const reader of readers) expect(await queuedFor(reader.id), reader.name).toBe(0);
  }, 120_000);
});

describe('deleting an account', () => {
  it('removes the address, follows, links and queued mail; nothing is sent afterwards', async () => {
    const member = await newMember('fd-leaver');
    const teller = await newMember('fd-leaver-teller');
    const vendor = 'Leaving Party Systems';
    await postStory(teller.client, { vendors: vendor, title: 'Before the leaver followed' });
    await follow(member, await slugOf(vendor));
    await giveAddress(member, 'immediate');
    // A digest and a reset link wait in the queue, unsent.
    await postStory(teller.client, { vendors: vendor, title: 'News for the leaver' });
    await mailDueNotices(t.app, new Date());
    const visitor = new TestClient(t.app);
    await visitor.get('/password/forgot');
    expect((await visitor.post('/password/forgot', { login: member.name })).statusCode).toBe(200);
    const deadline = Date.now() + 20_000;
    while ((await queuedFor(member.id)) < 2) {
      expect(Date.now(), 'the reset link was never queued').toBeLessThan(deadline);
      await sleep(20);
    }

    const rows = async () => ({
      address: (
        await t.app.db
          .selectFrom('member_emails')
          .select('user_id')
          .where('user_id', '=', member.id)
          .execute()
      ).length,
      follows: (await followedSlugs(member.id)).length,
      tokens: (
        await t.app.db
          .selectFrom('email_tokens')
          .select('user_id')
          .where('user_id', '=', member.id)
          .execute()
      ).length,
      queued: await queuedFor(member.id),
    });
    expect(await rows()).toEqual({ address: 1, follows: 1, tokens: 2, queued: 2 });

    await member.client.get('/account');
    const deleted = await member.client.post('/account/delete', {
      confirm_username: member.name,
      password: PASSWORD,
    });
    expect(deleted.statusCode).toBe(200);
    expect(deleted.body).toContain('Your account is deleted');
    expect(await rows()).toEqual({ address: 0, follows: 0, tokens: 0, queued: 0 });

    await postStory(teller.client, { vendors: vendor, title: 'News after the leaver left' });
    for (const at of [new Date(), later(8 * DAY)]) {
      await mailDueNotices(t.app, at);
      await t.app.mail.drain();
    }
    expect(smtp.to(member.address)).toHaveLength(1); // the confirmation, before
    // The address is free: someone else may confirm it now.
    const heir = await newMember('fd-heir');
    heir.address = member.address;
    await heir.client.get('/account');
    await heir.client.post('/account/email', { email: heir.address });
    await t.app.mail.drain();
    const [, confirm] = await smtp.waitFor(heir.address, 2);
    expect(confirm!.text).toContain('fd-heir');
    const confirmed = await new TestClient(t.app).get(linkPath(confirm!, '/email/confirm/'));
    expect(confirmed.statusCode).toBe(200);
  }, 120_000);
});
