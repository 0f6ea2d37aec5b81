import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { markNoticesRead, postReply, postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';
import { expectedAggregates, maintainedAggregates } from '../server/reputation/recompute.js';
import {
  expectedResponseFigures,
  maintainedResponseFigures,
} from '../server/reputation/responses.js';

// Issue 13 over HTTP: representatives, their official badge, official responses, the authors'
// resolution marks, the vendor page's figures, the vendor desk and the notices. Every test names
// vendors and members of its own, so none depends on another's leftovers.

let t: TestApp;
let admin: TestClient;
let moderator: TestClient;
const ADMIN = 'vr-admin';
const MODERATOR = 'vr-moderator';

beforeAll(async () => {
  t = await createTestApp();
  admin = new TestClient(t.app);
  moderator = new TestClient(t.app);
  await registerMember(admin, ADMIN);
  await registerMember(moderator, MODERATOR);
  await updateRole(t.app.db, ADMIN, 'admin');
  await updateRole(t.app.db, MODERATOR, 'moderator');
});
afterAll(async () => t.close());

// ---------------------------------------------------------------------------------------------
// Helpers

async function newMember(username: string) {
  const client = new TestClient(t.app);
  await registerMember(client, username);
  return client;
}

const visitor = () => new TestClient(t.app);

async function slugOf(vendorName: string) {
  const row = await t.app.db
    .selectFrom('vendors')
    .select('slug')
    .where('name', '=', vendorName)
    .executeTakeFirstOrThrow();
  return row.slug;
}

/** The admin's form on the vendor's moderation page, as sent from that page. */
async function changeRepresentative(
  client: TestClient,
  vendorName: string,
  username: string,
  action: 'grant' | 'withdraw',
  reason = 'Checked with the vendor partner team',
) {
  const slug = await slugOf(vendorName);
  await client.get(`/mod/vendors/${slug}`);
  return client.post(`/mod/vendors/${slug}/representatives`, { username, reason, action });
}

async function grant(vendorName: string, username: string, reason?: string) {
  const response = await changeRepresentative(admin, vendorName, username, 'grant', reason);
  expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
}

async function withdraw(vendorName: string, username: string, reason?: string) {
  const response = await changeRepresentative(admin, vendorName, username, 'withdraw', reason);
  expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
}

/** Posts an official response from the story's page, as the form does. */
async function respond(client: TestClient, threadId: number, body: string) {
  await client.get(`/threads/${threadId}`);
  return client.post(`/threads/${threadId}/response`, { body });
}

async function respondOk(client: TestClient, threadId: number, body = 'We looked into it.') {
  const response = await respond(client, threadId, body);
  expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
  const location = String(response.headers.location);
  expect(location).toMatch(new RegExp(`^/threads/${threadId}/[^#?]+#response-\\d+$`));
  return Number(/#response-(\d+)$/.exec(location)![1]);
}

async function mark(client: TestClient, threadId: number, resolution: string) {
  await client.get(`/threads/${threadId}`);
  return client.post(`/threads/${threadId}/resolution`, { resolution });
}

async function markOk(client: TestClient, threadId: number, resolution: string) {
  const response = await mark(client, threadId, resolution);
  expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
  expect(response.headers.location).toMatch(new RegExp(`^/threads/${threadId}/[^#?]+#resolution$`));
}

/** A moderator's action on a post, from the moderation page. */
async function moderate(path: string, action: string, reason = 'Moderation test reason') {
  await moderator.get('/mod');
  const response = await moderator.post(`/mod${path}`, { action, reason, next: '/mod' });
  expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
}

async function deleteStory(client: TestClient, id: number) {
  await client.get(`/threads/${id}/delete`);
  const response = await client.post(`/threads/${id}/delete`);
  expect(response.statusCode).toBe(303);
}

const officialResponses = (threadId: number) =>
  t.app.db
    .selectFrom('replies')
    .select(['id', 'body_source', 'deleted_at'])
    .where('thread_id', '=', threadId)
    .where('official_vendor_id', 'is not', null)
    .orderBy('id')
    .execute();

const repliesIn = (threadId: number) =>
  t.app.db
    .selectFrom('replies')
    .select(['id', 'anonymous'])
    .where('thread_id', '=', threadId)
    .execute();

const storyRow = (id: number) =>
  t.app.db
    .selectFrom('threads')
    .select(['score', 'reply_count', 'responses', 'resolution'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const replyScore = async (id: number) =>
  (
    await t.app.db
      .selectFrom('replies')
      .select('score')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).score;

const representativeOf = async (username: string) =>
  (
    await t.app.db
      .selectFrom('representatives')
      .innerJoin('users', 'users.id', 'representatives.user_id')
      .innerJoin('vendors', 'vendors.id', 'representatives.vendor_id')
      .select('vendors.name')
      .where('users.username', '=', username)
      .execute()
  ).map((row) => row.name);

/** A form's CSRF token differs from page to page: everything else must be the same bytes. */
const withoutTokens = (html: string) =>
  html
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(/<meta name="csrf-token" content="[^"]*">/g, '');

/** The header's unread count of the member's notifications. */
async function unread(client: TestClient) {
  const match = /Notifications <span class="unread-count">(\d+)</.exec(
    (await client.get('/')).body,
  );
  return match ? Number(match[1]) : 0;
}

/** The part of a page between `start` and the first `end` after it, or throws. */
function chunk(html: string, start: string, end: string, containing?: string) {
  const parts = html.split(start).slice(1);
  const found = parts
    .map((part) => part.slice(0, part.indexOf(end)))
    .find((part) => containing === undefined || part.includes(containing));
  if (found === undefined)
    throw new Error(`nothing between "${start}" and "${end}" holds "${containing ?? ''}"`);
  return found;
}

const storyCard = (html: string, title: string) =>
  chunk(html, '<li class="thread-card">', '</li>', `>${title}</a>`);
const replyItem = (html: string, id: number) =>
  chunk(html, `<li class="reply" id="reply-${id}">`, '</li>');
const searchHit = (html: string, containing: string) =>
  chunk(html, '<li class="search-hit">', '</li>', containing);
const feedEntry = (xml: string, title: string) =>
  chunk(xml, '<entry>', '</entry>', `<title>${title}</title>`);
const notice = (html: string, containing: string) =>
  chunk(html, '<li class="notice-item', '</li>', containing);
const answersBox = (html: string) =>
  chunk(html, '<div class="vendor-answers" id="answers">', '</div>');
const directoryCell = async (vendorName: string) => {
  const page = await visitor().get(`/vendors?q=${encodeURIComponent(vendorName)}`);
  const row = chunk(page.body, '<tr>', '</tr>', `>${vendorName}</a>`);
  return chunk(row, '<td class="vendor-answers-cell">', '</td>');
};

const badge = (vendorName: string, slug: string) =>
  `<span class="official-badge"><a href="/vendors/${slug}">${vendorName}</a> · official</span>`;

const figuresAreRight = async () =>
  expect(await maintainedResponseFigures(t.app.db)).toEqual(
    await expectedResponseFigures(t.app.db),
  );

// ---------------------------------------------------------------------------------------------

describe('granting and withdrawing representatives', () => {
  it('an admin grants and withdraws; both are in the moderation log with their reason', async () => {
    const vendor = 'Grant Vendor Alpha';
    const teller = await newMember('rg-alpha-teller');
    await postStory(teller, { title: 'A story that makes the vendor exist', vendors: vendor });
    await newMember('rg-alpha-rep');
    const slug = await slugOf(vendor);

    const granted = await changeRepresentative(
      admin,
      vendor,
      'rg-alpha-rep',
      'grant',
      'Verified through the partner portal',
    );
    expect(granted.statusCode).toBe(303);
    expect(granted.headers.location).toBe(`/mod/vendors/${slug}`);
    expect(await representativeOf('rg-alpha-rep')).toEqual([vendor]);
    const page = await admin.get(`/mod/vendors/${slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      '<a href="/users/rg-alpha-rep">rg-alpha-rep</a> <span class="muted">· 0 official responses</span>',
    );
    expect(page.body).toContain(
      `${ADMIN} made rg-alpha-rep a representative. <span class="muted">Reason: Verified through the partner portal</span>`,
    );
    // The moderation log itself, filtered as its link does.
    const log = await admin.get('/mod/log?action=grant-representative');
    const row = chunk(log.body, '<tr>', '</tr>', 'member rg-alpha-rep');
    expect(row).toContain(`<td>${ADMIN}</td>`);
    expect(row).toContain('<td>grant-representative</td>');
    expect(row).toContain(`${vendor} (${slug}) member rg-alpha-rep`);
    expect(row).toContain('<td>Verified through the partner portal</td>');

    const withdrawn = await changeRepresentative(
      admin,
      vendor,
      'rg-alpha-rep',
      'withdraw',
      'Moved to another company',
    );
    expect(withdrawn.statusCode).toBe(303);
    expect(await representativeOf('rg-alpha-rep')).toEqual([]);
    const after = await admin.get(`/mod/vendors/${slug}`);
    expect(after.body).toContain(`${vendor} has no representative`);
    expect(after.body).toContain(
      `${ADMIN} withdrew rg-alpha-rep as representative. <span class="muted">Reason: Moved to another company</span>`,
    );
    const fullLog = await moderator.get('/mod/log');
    const withdrawal = chunk(fullLog.body, '<tr>', '</tr>', 'withdraw-representative');
    expect(withdrawal).toContain(`${vendor} (${slug}) member rg-alpha-rep`);
    expect(withdrawal).toContain('<td>Moved to another company</td>');
    // Both entries stay in the log.
    expect(fullLog.body).toContain('<td>Verified through the partner portal</td>');
  });

  it('moderators see the page without the form; a moderator and a member are refused, a visitor logs in, a form without CSRF fails', async () => {
    const vendor = 'Grant Vendor Beta';
    const member = await newMember('rg-beta-member');
    await postStory(member, { title: 'Beta gets its first story', vendors: vendor });
    await newMember('rg-beta-target');
    const slug = await slugOf(vendor);
    const url = `/mod/vendors/${slug}/representatives`;
    const form = { username: 'rg-beta-target', reason: 'Trying my luck here', action: 'grant' };

    const modPage = await moderator.get(`/mod/vendors/${slug}`);
    expect(modPage.statusCode).toBe(200);
    expect(modPage.body).toContain('Only admins grant or withdraw representatives.');
    expect(modPage.body).not.toContain(`action="${url}"`);
    expect((await moderator.post(url, form)).statusCode).toBe(403);

    expect((await member.get(`/mod/vendors/${slug}`)).statusCode).toBe(403);
    await member.get('/');
    expect((await member.post(url, form)).statusCode).toBe(403);

    const stranger = visitor();
    const gate = await stranger.get(`/mod/vendors/${slug}`);
    expect(gate.statusCode).toBe(303);
    expect(gate.headers.location).toBe(`/login?next=${encodeURIComponent(`/mod/vendors/${slug}`)}`);
    await stranger.get('/login');
    const posted = await stranger.post(url, form);
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toMatch(/^\/login\?next=/);

    await admin.get(`/mod/vendors/${slug}`);
    expect((await admin.post(url, { ...form, _csrf: null })).statusCode).toBe(403);
    expect((await admin.post(url, { ...form, _csrf: 'forged-token' })).statusCode).toBe(403);

    expect(await representativeOf('rg-beta-target')).toEqual([]);
    const log = await admin.get(`/mod/vendors/${slug}`);
    expect(log.body).toContain('None yet.');
  });

  it('a member represents one vendor: a second grant is a 409 that keeps the input', async () => {
    const [gamma, delta] = ['One Vendor Gamma', 'One Vendor Delta'];
    const teller = await newMember('rg-one-teller');
    await postStory(teller, { title: 'Gamma story for the grant', vendors: gamma });
    await postStory(teller, { title: 'Delta story for the grant', vendors: delta });
    await newMember('rg-one-rep');
    await grant(gamma, 'rg-one-rep');

    const second = await changeRepresentative(
      admin,
      delta,
      'rg-one-rep',
      'grant',
      'A second vendor for her',
    );
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('rg-one-rep represents One Vendor Gamma');
    expect(second.body).toContain('value="rg-one-rep"');
    expect(second.body).toContain('value="A second vendor for her"');
    expect(second.body).toContain('id="representative-username-error"');

    const again = await changeRepresentative(admin, gamma, 'RG-One-Rep', 'grant');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('represents One Vendor Gamma already');

    const notTheirs = await changeRepresentative(admin, delta, 'rg-one-rep', 'withdraw');
    expect(notTheirs.statusCode).toBe(409);
    expect(notTheirs.body).toContain('rg-one-rep does not represent One Vendor Delta');
    expect(await representativeOf('rg-one-rep')).toEqual([gamma]);
  });

  it('an unknown member is a 400, so is a reason shorter than 3 characters; an unknown vendor 404', async () => {
    const vendor = 'Grant Vendor Epsilon';
    const teller = await newMember('rg-eps-teller');
    await postStory(teller, { title: 'Epsilon story for the grant', vendors: vendor });
    await newMember('rg-eps-rep');

    const unknown = await changeRepresentative(admin, vendor, 'rg-nobody-at-all', 'grant');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No member is called &quot;rg-nobody-at-all&quot;.');
    expect(unknown.body).toContain('value="rg-nobody-at-all"');

    for (const reason of ['ok', '  a  ', '']) {
      const short = await changeRepresentative(admin, vendor, 'rg-eps-rep', 'grant', reason);
      expect(short.statusCode).toBe(400);
      expect(short.body).toContain('Give a reason of 3–500 characters');
      expect(short.body).toContain('value="rg-eps-rep"');
    }
    const long = await changeRepresentative(admin, vendor, 'rg-eps-rep', 'grant', 'x'.repeat(501));
    expect(long.statusCode).toBe(400);
    const badAction = await admin.post(`/mod/vendors/${await slugOf(vendor)}/representatives`, {
      username: 'rg-eps-rep',
      reason: 'A fine reason',
      action: 'promote',
    });
    expect(badAction.statusCode).toBe(400);
    expect(await representativeOf('rg-eps-rep')).toEqual([]);

    await admin.get('/');
    const missing = await admin.post('/mod/vendors/no-such-vendor-here/representatives', {
      username: 'rg-eps-rep',
      reason: 'A fine reason',
      action: 'grant',
    });
    expect(missing.statusCode).toBe(404);
    expect((await admin.get('/mod/vendors/no-such-vendor-here')).statusCode).toBe(404);
  });
});

// ---------------------------------------------------------------------------------------------

describe("a representative's official badge", () => {
  it("shows beside their name on every surface, for named posts about another vendor's program", async () => {
    const [own, other] = ['Badge Vendor Own', 'Badge Vendor Other'];
    const REP = 'bd-rep-7713';
    const teller = await newMember('bd-teller');
    await postStory(teller, { title: 'Badge own vendor appears', vendors: own });
    const tellerStory = await postStory(teller, {
      title: 'Badge teller story about the other',
      vendors: other,
    });
    const rep = await newMember(REP);
    await grant(own, REP);
    const ownSlug = await slugOf(own);
    const otherSlug = await slugOf(other);
    const BADGE = badge(own, ownSlug);
    const title = 'Badge rep story about the other';
    const repStory = await postStory(rep, {
      title,
      vendors: other,
      body: 'The other program lost our registration, xylophonebadge.',
    });
    const replyId = await postReply(rep, tellerStory, 'Same here, marimbabadge reply.');

    // Story pages: the story's byline and a reply's.
    const storyPage = await visitor().get(`/threads/${repStory}`);
    expect(chunk(storyPage.body, '<p class="byline">', '</p>')).toContain(
      `<a class="author" href="/users/${REP}">${REP}</a> ${BADGE}`,
    );
    const replyPage = await visitor().get(`/threads/${tellerStory}`);
    expect(replyItem(replyPage.body, replyId)).toContain(
      `<a class="author" href="/users/${REP}">${REP}</a> ${BADGE}`,
    );
    // Lists: the front page, the other vendor's page, the profile.
    expect(storyCard((await visitor().get('/?sort=new')).body, title)).toContain(BADGE);
    expect(storyCard((await visitor().get(`/vendors/${otherSlug}`)).body, title)).toContain(BADGE);
    const profile = await visitor().get(`/users/${REP}`);
    expect(profile.body).toContain(
      `<p class="official-badge">Representative of <a href="/vendors/${ownSlug}">${own}</a> · official</p>`,
    );
    expect(storyCard(profile.body, title)).toContain(BADGE);
    // Search, for the story and for the reply.
    const storyHits = await visitor().get('/search?q=xylophonebadge');
    expect(searchHit(storyHits.body, title)).toContain(BADGE);
    const replyHits = await visitor().get('/search?q=marimbabadge');
    expect(searchHit(replyHits.body, 'marimbabadge')).toContain(BADGE);
    // The Atom feeds.
    const feed = await visitor().get('/feed.atom');
    expect(feedEntry(feed.body, title)).toContain(`<name>${REP} (${own}, official)</name>`);
    const vendorFeed = await visitor().get(`/vendors/${otherSlug}/feed.atom`);
    expect(feedEntry(vendorFeed.body, title)).toContain(`<name>${REP} (${own}, official)</name>`);
    // The story's author's notices.
    const notices = await teller.get('/notifications');
    expect(notice(notices.body, 'Badge teller story about the other')).toContain(
      `<strong>${REP}</strong> (${own} <span class="badge badge-official">official</span>) replied to your story`,
    );

    // Withdrawn, the badge goes everywhere at once.
    await withdraw(own, REP);
    expect((await visitor().get(`/threads/${repStory}`)).body).not.toContain('official-badge');
    expect(storyCard((await visitor().get('/?sort=new')).body, title)).not.toContain(
      'official-badge',
    );
    expect((await visitor().get(`/users/${REP}`)).body).not.toContain('Representative of');
    expect(feedEntry((await visitor().get('/feed.atom')).body, title)).toContain(
      `<name>${REP}</name>`,
    );
  });

  it('never on their anonymous posts: nothing there names them or their vendor', async () => {
    const [own, other] = ['Masked Vendor Own', 'Masked Vendor Other'];
    const REP = 'mk-rep-5521';
    const teller = await newMember('mk-teller');
    await postStory(teller, { title: 'Masked own vendor appears', vendors: own });
    const tellerTitle = 'Masked teller story about the other';
    const tellerStory = await postStory(teller, { title: tellerTitle, vendors: other });
    const rep = await newMember(REP);
    await grant(own, REP);
    const otherSlug = await slugOf(other);
    const replyId = await postReply(rep, tellerStory, 'Quietly agreeing, quokkamasked.', true);
    const anonTitle = 'Masked anonymous story of the rep';
    const anonStory = await postStory(rep, {
      title: anonTitle,
      vendors: other,
      body: 'Told without a name, wombatmasked.',
      anonymous: true,
    });
    const leaks = (html: string) => {
      expect(html).not.toContain(REP);
      expect(html).not.toContain(own);
      expect(html).not.toContain('official-badge');
      expect(html).not.toContain('badge-official');
    };

    // Whole pages that show only the other vendor's stories: not a trace anywhere.
    const tellerPage = await visitor().get(`/threads/${tellerStory}`);
    expect(replyItem(tellerPage.body, replyId)).toMatch(/Anonymous provider · [A-Z2-9]{4}/);
    leaks(tellerPage.body);
    leaks((await teller.get(`/threads/${tellerStory}`)).body);
    const anonPage = await visitor().get(`/threads/${anonStory}`);
    expect(chunk(anonPage.body, '<p class="byline">', '</p>')).toMatch(/Anonymous provider/);
    leaks(anonPage.body);
    leaks((await visitor().get(`/vendors/${otherSlug}/feed.atom`)).body);
    // Lists and search that show other posts too: the anonymous ones carry nothing.
    leaks(storyCard((await visitor().get('/?sort=new')).body, anonTitle));
    leaks(storyCard((await visitor().get(`/vendors/${otherSlug}`)).body, anonTitle));
    leaks(searchHit((await visitor().get('/search?q=wombatmasked')).body, 'wombatmasked'));
    leaks(searchHit((await visitor().get('/search?q=quokkamasked')).body, 'quokkamasked'));
    leaks(feedEntry((await visitor().get('/feed.atom')).body, anonTitle));
    leaks(notice((await teller.get('/notifications')).body, tellerTitle));
    // Nor does the representative's profile list them.
    const profile = await visitor().get(`/users/${REP}`);
    expect(profile.body).not.toContain(anonTitle);
    expect(profile.body).not.toContain('quokkamasked');
  });
});

// ---------------------------------------------------------------------------------------------

describe('official responses', () => {
  it('one per story and vendor, shown above the replies and not counted among them', async () => {
    const vendor = 'Answer Vendor One';
    const teller = await newMember('an-one-teller');
    const replier = await newMember('an-one-replier');
    const rep = await newMember('an-one-rep');
    const title = 'Answer one story waiting for the vendor';
    const id = await postStory(teller, { title, vendors: vendor });
    await postReply(replier, id, 'A member chimes in first.');
    await grant(vendor, 'an-one-rep');
    const slug = await slugOf(vendor);

    const offered = await rep.get(`/threads/${id}`);
    expect(offered.body).toContain(`action="/threads/${id}/response"`);
    expect(offered.body).toContain(`Answer for ${vendor}`);
    const rid = await respondOk(rep, id, 'We called you back **today**. <script>alert(1)</script>');

    const page = await visitor().get(`/threads/${id}`);
    const section = page.body.indexOf(`<article class="official-response" id="response-${rid}"`);
    expect(section).toBeGreaterThan(-1);
    expect(section).toBeLessThan(page.body.indexOf('id="replies-heading"'));
    expect(page.body.split(`id="response-${rid}"`)).toHaveLength(2);
    expect(page.body).not.toContain(`id="reply-${rid}"`);
    const article = chunk(page.body, `id="response-${rid}"`, '</article>');
    expect(article).toContain(
      `<p class="official-label"><a href="/vendors/${slug}">${vendor}</a> <span class="badge badge-official">official response</span>`,
    );
    expect(article).toContain('<strong>today</strong>');
    expect(article).not.toContain('<script>');
    expect(article).toContain(
      `Written by <a class="author" href="/users/an-one-rep">an-one-rep</a>`,
    );
    expect(page.body).toContain('<h2 id="replies-heading">1 reply</h2>');
    expect(await storyRow(id)).toMatchObject({ reply_count: 1, responses: 1 });
    const card = storyCard((await visitor().get('/?sort=new')).body, title);
    expect(card).toContain('>Vendor answered</span>');
    expect(card).toContain('· 1 reply</p>');
    // The address of the response leads to it, above the replies.
    const address = await visitor().get(`/replies/${rid}`);
    expect(address.statusCode).toBe(303);
    expect(address.headers.location).toBe(`/threads/${id}#response-${rid}`);

    // The form is not offered again, and a second response is refused with its text kept.
    expect((await rep.get(`/threads/${id}`)).body).not.toContain(
      `action="/threads/${id}/response"`,
    );
    const second = await rep.post(`/threads/${id}/response`, { body: 'A second answer, kept' });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain(`id="response-${rid}"`);
    expect(await officialResponses(id)).toHaveLength(1);
    await figuresAreRight();
  });

  it('a second response is refused with its message and its text kept', async () => {
    const vendor = 'Answer Vendor Twice';
    const teller = await newMember('an-twice-teller');
    const rep = await newMember('an-twice-rep');
    const id = await postStory(teller, { title: 'Answer twice story', vendors: vendor });
    await grant(vendor, 'an-twice-rep');
    await respondOk(rep, id, 'The first and only answer.');
    const second = await rep.post(`/threads/${id}/response`, { body: 'A second answer, kept' });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain(`${vendor} has answered this story already`);
    expect(second.body).toContain('A second answer, kept</textarea>');
  });

  it('a story about two vendors takes one answer from each, neither counted among the replies', async () => {
    const [first, second] = ['Answer Vendor Pair A', 'Answer Vendor Pair B'];
    const teller = await newMember('an-pair-teller');
    const repA = await newMember('an-pair-rep-a');
    const repB = await newMember('an-pair-rep-b');
    const id = await postStory(teller, {
      title: 'Answer pair story',
      vendors: `${first}, ${second}`,
    });
    await grant(first, 'an-pair-rep-a');
    await grant(second, 'an-pair-rep-b');
    await respondOk(repA, id, 'Vendor A answers.');
    expect((await repA.post(`/threads/${id}/response`, { body: 'Again' })).statusCode).toBe(409);
    // The other vendor's slot is its own.
    expect((await repB.get(`/threads/${id}`)).body).toContain(`Answer for ${second}`);
    await respondOk(repB, id, 'Vendor B answers.');
    const page = await visitor().get(`/threads/${id}`);
    expect(page.body).toContain('The vendors&#39; answers');
    expect(page.body.match(/<article class="official-response"/g)).toHaveLength(2);
    expect(page.body).toContain('<h2 id="replies-heading">0 replies</h2>');
    expect(await storyRow(id)).toMatchObject({ responses: 2, reply_count: 0 });
    await figuresAreRight();
  });

  it('is edited with a revision and deleted like a reply; once deleted, a new one may be posted', async () => {
    const vendor = 'Answer Vendor Two';
    const teller = await newMember('an-two-teller');
    const rep = await newMember('an-two-rep');
    const title = 'Answer two story with an edited answer';
    const id = await postStory(teller, { title, vendors: vendor });
    await grant(vendor, 'an-two-rep');
    const rid = await respondOk(rep, id, 'First wording of the answer.');

    // Nobody else may edit it.
    expect((await teller.get(`/replies/${rid}/edit`)).statusCode).toBe(403);
    expect((await moderator.get(`/replies/${rid}/edit`)).statusCode).toBe(403);
    await teller.get('/');
    expect(
      (await teller.post(`/replies/${rid}/edit`, { body: 'Hijacked answer' })).statusCode,
    ).toBe(403);

    const form = await rep.get(`/replies/${rid}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('First wording of the answer.</textarea>');
    const edited = await rep.post(`/replies/${rid}/edit`, { body: 'Second wording, _better_.' });
    expect(edited.statusCode).toBe(303);
    expect(edited.headers.location).toBe(`/threads/${id}#response-${rid}`);
    const page = await visitor().get(`/threads/${id}`);
    const article = chunk(page.body, `id="response-${rid}"`, '</article>');
    expect(article).toContain('Second wording, <em>better</em>.');
    expect(article).toContain('<span class="edited">edited</span>');
    expect(page.body).not.toContain('Hijacked answer');
    const revisions = await t.app.db
      .selectFrom('revisions')
      .select('body_source')
      .where('reply_id', '=', rid)
      .execute();
    expect(revisions.map((row) => row.body_source)).toEqual(['First wording of the answer.']);

    await rep.get(`/replies/${rid}/delete`);
    const deleted = await rep.post(`/replies/${rid}/delete`);
    expect(deleted.statusCode).toBe(303);
    const after = await visitor().get(`/threads/${id}`);
    expect(after.body).not.toContain('class="official-response"');
    expect(after.body).not.toContain('Second wording');
    expect(await storyRow(id)).toMatchObject({ responses: 0, reply_count: 0 });
    expect(storyCard((await visitor().get('/?sort=new')).body, title)).not.toContain(
      'Vendor answered',
    );
    // The slot is free again.
    expect((await rep.get(`/threads/${id}`)).body).toContain(`action="/threads/${id}/response"`);
    const again = await respondOk(rep, id, 'A fresh answer after the deletion.');
    expect(again).not.toBe(rid);
    expect((await visitor().get(`/threads/${id}`)).body).toContain(
      'A fresh answer after the deletion.',
    );
    expect(await storyRow(id)).toMatchObject({ responses: 1 });
    await figuresAreRight();
  });

  it('refused to members who do not represent a tagged vendor, on a locked story, without a body or a login', async () => {
    const [vendor, elsewhere] = ['Answer Vendor Three', 'Answer Vendor Elsewhere'];
    const teller = await newMember('an-three-teller');
    const member = await newMember('an-three-member');
    const rep = await newMember('an-three-rep');
    const otherRep = await newMember('an-three-other-rep');
    const id = await postStory(teller, { title: 'Answer three story', vendors: vendor });
    await postStory(teller, { title: 'Answer elsewhere story', vendors: elsewhere });
    await grant(vendor, 'an-three-rep');
    await grant(elsewhere, 'an-three-other-rep');

    const plain = await respond(member, id, 'I am not the vendor.');
    expect(plain.statusCode).toBe(403);
    expect((await member.get(`/threads/${id}`)).body).not.toContain(
      `action="/threads/${id}/response"`,
    );
    const author = await respond(teller, id, 'Answering myself.');
    expect(author.statusCode).toBe(403);
    const wrongVendor = await respond(otherRep, id, 'Answering for the wrong vendor.');
    expect(wrongVendor.statusCode).toBe(403);
    expect((await otherRep.get(`/threads/${id}`)).body).not.toContain(
      `action="/threads/${id}/response"`,
    );
    const empty = await respond(rep, id, '   ');
    expect(empty.statusCode).toBe(400);
    const forged = await rep.post(`/threads/${id}/response`, { body: 'No token', _csrf: null });
    expect(forged.statusCode).toBe(403);
    const stranger = visitor();
    await stranger.get('/login');
    const anonymous = await stranger.post(`/threads/${id}/response`, { body: 'A visitor' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login\?next=/);

    await moderate(`/threads/${id}`, 'lock');
    expect((await rep.get(`/threads/${id}`)).body).not.toContain(
      `action="/threads/${id}/response"`,
    );
    const locked = await respond(rep, id, 'Too late, it is locked.');
    expect(locked.statusCode).toBe(409);
    expect(await officialResponses(id)).toEqual([]);

    // A withdrawn representative cannot answer either.
    await moderate(`/threads/${id}`, 'unlock');
    await withdraw(vendor, 'an-three-rep');
    expect((await respond(rep, id, 'After the withdrawal.')).statusCode).toBe(403);
    expect(await officialResponses(id)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("what a representative cannot do about their vendor's stories", () => {
  it('reply anonymously: a 409 with nothing posted, allowed again once withdrawn', async () => {
    const vendor = 'Refusal Vendor Reply';
    const teller = await newMember('rf-reply-teller');
    const rep = await newMember('rf-reply-rep');
    const id = await postStory(teller, { title: 'Refusal reply story', vendors: vendor });
    await grant(vendor, 'rf-reply-rep');

    const page = await rep.get(`/threads/${id}`);
    expect(page.body).not.toContain('id="reply-anonymous"');
    expect(page.body).toContain(`You represent ${vendor}: you reply here under your name`);
    const refused = await rep.post(`/threads/${id}/replies`, {
      body: 'An anonymous word from the vendor',
      anonymous: 'on',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain(`You represent ${vendor}: in stories about it you speak`);
    expect(refused.body).toContain('An anonymous word from the vendor</textarea>');
    expect(await repliesIn(id)).toEqual([]);

    // Named, they may reply, with their badge.
    const named = await postReply(rep, id, 'A named word from the vendor');
    expect(replyItem((await visitor().get(`/threads/${id}`)).body, named)).toContain(
      badge(vendor, await slugOf(vendor)),
    );

    await withdraw(vendor, 'rf-reply-rep');
    expect((await rep.get(`/threads/${id}`)).body).toContain('id="reply-anonymous"');
    await postReply(rep, id, 'Anonymous, now that I left', true);
    expect((await repliesIn(id)).filter((row) => row.anonymous)).toHaveLength(1);
  });

  it('post a story about their vendor, however it is spelled: a 409 beside the vendors field, allowed once withdrawn', async () => {
    const vendor = 'Refusal Vendor Story';
    const teller = await newMember('rf-story-teller');
    const rep = await newMember('rf-story-rep');
    await postStory(teller, { title: 'Refusal story vendor exists', vendors: vendor });
    await grant(vendor, 'rf-story-rep');
    const title = 'A story about my own program';

    for (const [vendors, anonymous] of [
      [vendor, false],
      ['refusal vendor story', false],
      ['Refusal Side Vendor, REFUSAL VENDOR STORY', false],
      [vendor, true],
    ] as const) {
      await rep.get('/threads/new');
      const response = await rep.post('/threads', {
        title,
        body: 'Our program is great.',
        vendors,
        sentiment: 'good',
        action: 'post',
        ...(anonymous ? { anonymous: 'on' } : {}),
      });
      expect(response.statusCode).toBe(409);
      expect(chunk(response.body, '<p class="field-error" id="vendors-error">', '</p>')).toContain(
        `You represent ${vendor}, so your stories about it would count toward its reputation`,
      );
      expect(response.body).toContain(`value="${title}"`);
    }
    const posted = await t.app.db
      .selectFrom('threads')
      .select('id')
      .where('title', '=', title)
      .execute();
    expect(posted).toEqual([]);
    // The refused second vendor was not created either.
    expect(
      await t.app.db
        .selectFrom('vendors')
        .select('id')
        .where('name', '=', 'Refusal Side Vendor')
        .execute(),
    ).toEqual([]);

    await withdraw(vendor, 'rf-story-rep');
    await postStory(rep, { title, vendors: vendor });
  });

  it('vote on stories about their vendor or on their replies: 403, the score unchanged, allowed once withdrawn', async () => {
    const [vendor, other] = ['Refusal Vendor Votes', 'Refusal Vendor Votes Other'];
    const teller = await newMember('rf-vote-teller');
    const replier = await newMember('rf-vote-replier');
    const rep = await newMember('rf-vote-rep');
    const id = await postStory(teller, { title: 'Refusal votes story', vendors: vendor });
    const replyId = await postReply(replier, id, 'A reply the rep would like to downvote');
    const otherId = await postStory(teller, { title: 'Refusal votes elsewhere', vendors: other });
    await grant(vendor, 'rf-vote-rep');

    const page = await rep.get(`/threads/${id}`);
    expect(page.body).not.toContain(`action="/threads/${id}/vote"`);
    expect(page.body).not.toContain(`action="/replies/${replyId}/vote"`);
    for (const [path, json] of [
      [`/threads/${id}/vote`, false],
      [`/replies/${replyId}/vote`, false],
      [`/threads/${id}/vote`, true],
    ] as const) {
      const response = await rep.post(
        path,
        { value: 'down' },
        json ? { accept: 'application/json' } : {},
      );
      expect(response.statusCode).toBe(403);
      if (!json)
        expect(response.body).toContain(
          `You represent ${vendor}: you cannot vote on stories about it or on their replies.`,
        );
    }
    expect((await storyRow(id)).score).toBe(0);
    expect(await replyScore(replyId)).toBe(0);
    // Stories about another vendor are theirs to vote on.
    await rep.get('/');
    expect((await rep.post(`/threads/${otherId}/vote`, { value: 'up' })).statusCode).toBe(303);
    expect((await storyRow(otherId)).score).toBe(1);

    await withdraw(vendor, 'rf-vote-rep');
    await rep.get('/');
    expect((await rep.post(`/threads/${id}/vote`, { value: 'down' })).statusCode).toBe(303);
    expect((await rep.post(`/replies/${replyId}/vote`, { value: 'down' })).statusCode).toBe(303);
    expect((await storyRow(id)).score).toBe(-1);
    expect(await replyScore(replyId)).toBe(-1);
  });

  it('answer a story they told themselves before the grant', async () => {
    const vendor = 'Refusal Vendor Self';
    const rep = await newMember('rf-self-rep');
    const named = await postStory(rep, { title: 'Told before my grant, named', vendors: vendor });
    const anon = await postStory(rep, {
      title: 'Told before my grant, anonymous',
      vendors: vendor,
      anonymous: true,
    });
    await grant(vendor, 'rf-self-rep');
    for (const id of [named, anon]) {
      const response = await respond(rep, id, 'Answering my own story');
      expect(response.statusCode).not.toBe(303);
      expect(await officialResponses(id)).toEqual([]);
    }
  });

  it('their earlier named story stops counting for the vendor at the grant, and counts again once withdrawn', async () => {
    const vendor = 'Refusal Vendor Voices';
    const teller = await newMember('rf-voice-teller');
    const rep = await newMember('rf-voice-rep');
    await postStory(rep, { title: 'Before I worked there', vendors: vendor, sentiment: 'good' });
    await postStory(teller, { title: 'Voices teller story', vendors: vendor, sentiment: 'bad' });
    const slug = await slugOf(vendor);
    const basis = async () => {
      const page = await visitor().get(`/vendors/${slug}`);
      return {
        basis: /<p class="score-basis">based on ([^<(]+?)(?: \(|<)/.exec(page.body)![1],
        good: /(\d+) good<\/li>/.exec(page.body)![1],
        stories: (page.body.match(/class="thread-card"/g) ?? []).length,
      };
    };
    expect(await basis()).toEqual({ basis: '2 stories', good: '1', stories: 2 });

    await grant(vendor, 'rf-voice-rep');
    // The story stays listed, but no longer counts as a voice.
    expect(await basis()).toEqual({ basis: '1 story', good: '0', stories: 2 });
    expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));

    await withdraw(vendor, 'rf-voice-rep');
    expect(await basis()).toEqual({ basis: '2 stories', good: '1', stories: 2 });
    expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));
  });
});

// ---------------------------------------------------------------------------------------------

describe("the author's resolution mark", () => {
  for (const anonymous of [false, true]) {
    const kind = anonymous ? 'anonymous' : 'named';
    it(`the author of ${anonymous ? 'an' : 'a'} ${kind} story marks it resolved, not resolved or open, shown on the story and in lists`, async () => {
      const vendor = `Resolution Vendor ${anonymous ? 'Anon' : 'Named'}`;
      const author = await newMember(`rs-${kind}-author`);
      const rep = await newMember(`rs-${kind}-rep`);
      const title = `Resolution ${kind} story to close`;
      const id = await postStory(author, { title, vendors: vendor, anonymous });
      await grant(vendor, `rs-${kind}-rep`);
      const slug = await slugOf(vendor);

      // Nothing to mark before a vendor answers.
      expect((await author.get(`/threads/${id}`)).body).not.toContain(
        `action="/threads/${id}/resolution"`,
      );
      const early = await mark(author, id, 'resolved');
      expect(early.statusCode).toBe(409);
      expect(early.body).toContain('No vendor has answered this story yet');
      expect((await storyRow(id)).resolution).toBeNull();

      await respondOk(rep, id);
      const own = await author.get(`/threads/${id}`);
      expect(own.body).toContain(`action="/threads/${id}/resolution"`);
      expect((await rep.get(`/threads/${id}`)).body).not.toContain(
        `action="/threads/${id}/resolution"`,
      );

      const shows = async (onStory: string | null, inList: string) => {
        const page = await visitor().get(`/threads/${id}`);
        if (onStory === null) expect(page.body).not.toContain('<span class="resolution');
        else expect(chunk(page.body, '<p class="story-tags">', '</p>')).toContain(onStory);
        for (const list of ['/?sort=new', `/vendors/${slug}`])
          expect(storyCard((await visitor().get(list)).body, title)).toContain(inList);
      };
      await markOk(author, id, 'resolved');
      expect((await storyRow(id)).resolution).toBe('resolved');
      await shows(
        '<span class="resolution resolution-resolved">Resolved by the vendor, says the author</span>',
        '<span class="resolution resolution-resolved">Vendor answered · resolved</span>',
      );
      await markOk(author, id, 'not-resolved');
      await shows(
        '<span class="resolution resolution-not-resolved">Not resolved, says the author</span>',
        '<span class="resolution resolution-not-resolved">Vendor answered · not resolved</span>',
      );
      // The form shows the author's current choice.
      expect((await author.get(`/threads/${id}`)).body).toContain('value="not-resolved" checked');
      await markOk(author, id, 'open');
      expect((await storyRow(id)).resolution).toBeNull();
      await shows(null, '<span class="resolution resolution-open">Vendor answered</span>');

      const nonsense = await mark(author, id, 'fixed-it-myself');
      expect(nonsense.statusCode).toBe(400);
      expect((await storyRow(id)).resolution).toBeNull();
      await figuresAreRight();
    });
  }

  it('anyone else gets the very bytes of "not your post", for a named and an anonymous story alike', async () => {
    const vendor = 'Resolution Vendor Others';
    const named = await newMember('rs-others-named');
    const hidden = await newMember('rs-others-hidden');
    const other = await newMember('rs-others-member');
    const rep = await newMember('rs-others-rep');
    const namedId = await postStory(named, { title: 'Resolution others named', vendors: vendor });
    const anonId = await postStory(hidden, {
      title: 'Resolution others anonymous',
      vendors: vendor,
      anonymous: true,
    });
    const unanswered = await postStory(hidden, {
      title: 'Resolution others unanswered',
      vendors: 'Resolution Vendor Unanswered',
      anonymous: true,
    });
    await grant(vendor, 'rs-others-rep');
    await respondOk(rep, namedId);
    await respondOk(rep, anonId);

    const edit = { title: 'Taken over', body: 'Rewritten by someone else', sentiment: 'good' };
    for (const client of [other, rep, moderator]) {
      const answers = [];
      for (const id of [namedId, anonId, unanswered]) {
        for (const resolution of ['resolved', 'open']) {
          const response = await mark(client, id, resolution);
          answers.push({ status: response.statusCode, body: withoutTokens(response.body) });
        }
        await client.get(`/threads/${id}`);
        const edited = await client.post(`/threads/${id}/edit`, edit);
        answers.push({ status: edited.statusCode, body: withoutTokens(edited.body) });
      }
      expect(answers[0]!.status).toBe(403);
      expect(answers[0]!.body).toContain('You can only change your own posts.');
      for (const answer of answers) expect(answer).toEqual(answers[0]);
    }
    for (const id of [namedId, anonId, unanswered])
      expect((await storyRow(id)).resolution).toBeNull();
  });

  it('a visitor is sent to log in; a form without CSRF is refused', async () => {
    const vendor = 'Resolution Vendor Visitor';
    const author = await newMember('rs-visitor-author');
    const rep = await newMember('rs-visitor-rep');
    const id = await postStory(author, { title: 'Resolution visitor story', vendors: vendor });
    await grant(vendor, 'rs-visitor-rep');
    await respondOk(rep, id);
    const stranger = visitor();
    await stranger.get('/login');
    const response = await stranger.post(`/threads/${id}/resolution`, { resolution: 'resolved' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(/^\/login\?next=/);
    await author.get(`/threads/${id}`);
    const forged = await author.post(`/threads/${id}/resolution`, {
      resolution: 'resolved',
      _csrf: null,
    });
    expect(forged.statusCode).toBe(403);
    expect((await storyRow(id)).resolution).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

describe('how a vendor answers, on its page and in the directory', () => {
  const rate = (percent: number, answered: number, stories: number) =>
    `Responded to <strong>${percent}%</strong> of stories in the last 12 months <span class="muted">(${answered} of ${stories})</span>`;

  it('a scripted history: answers, marks, a moderator hiding and restoring, an author deleting', async () => {
    const vendor = 'Figures Vendor One';
    const tellers = [];
    for (const n of [1, 2, 3, 4]) tellers.push(await newMember(`fg-one-teller-${n}`));
    const rep = await newMember('fg-one-rep');
    const ids = [];
    for (const [n, teller] of tellers.entries())
      ids.push(await postStory(teller, { title: `Figures one story ${n + 1}`, vendors: vendor }));
    const slug = await slugOf(vendor);
    const box = async () => answersBox((await visitor().get(`/vendors/${slug}`)).body);

    const before = await box();
    expect(before).toContain('<strong>Not on Partner Stories yet:</strong>');
    expect(before).toContain(rate(0, 0, 4));
    expect(await directoryCell(vendor)).toContain('not on Partner Stories yet');

    await grant(vendor, 'fg-one-rep');
    expect(await box()).not.toContain('Not on Partner Stories yet');
    const responses = [];
    for (const id of ids.slice(0, 3)) responses.push(await respondOk(rep, id));
    await markOk(tellers[0]!, ids[0]!, 'resolved');
    await markOk(tellers[1]!, ids[1]!, 'resolved');
    await markOk(tellers[2]!, ids[2]!, 'not-resolved');

    const full = await box();
    expect(full).toContain(rate(75, 3, 4));
    expect(full).toContain(
      'Typically within <strong>a day</strong> <span class="muted">(the median of 3 answers)</span>',
    );
    expect(full).toContain(
      'Partners say resolved: <strong>2 of 3</strong> answered stories <span class="muted">(1 not resolved, 0 not marked)</span>',
    );
    expect(await directoryCell(vendor)).toBe(
      '75% <span class="muted">(3 of 4, last 12 months)</span>, typically within a day; resolved: 2 of 3',
    );
    await figuresAreRight();

    // A moderator removes the not-resolved answer: it stops counting (and so does its mark).
    await moderate(`/replies/${responses[2]}`, 'hide', 'Off-topic advertising');
    const hidden = await box();
    expect(hidden).toContain(rate(50, 2, 4));
    expect(hidden).not.toContain('Typically within');
    expect(hidden).not.toContain('Partners say resolved');
    expect(await directoryCell(vendor)).toBe(
      '50% <span class="muted">(2 of 4, last 12 months)</span>',
    );
    expect(
      storyCard((await visitor().get(`/vendors/${slug}`)).body, 'Figures one story 3'),
    ).not.toContain('Vendor answered');
    await figuresAreRight();

    await moderate(`/replies/${responses[2]}`, 'restore', 'Reviewed, it is fine');
    const restored = await box();
    expect(restored).toContain(rate(75, 3, 4));
    expect(restored).toContain('(1 not resolved, 0 not marked)');
    await figuresAreRight();

    // The unanswered story's author deletes it: it leaves the counts.
    await deleteStory(tellers[3]!, ids[3]!);
    expect(await box()).toContain(rate(100, 3, 3));
    // And an answered one's: 2 of 2 is too few for the median and the marks.
    await deleteStory(tellers[0]!, ids[0]!);
    const fewer = await box();
    expect(fewer).not.toContain('Responded to');
    expect(fewer).toContain('(2 stories so far)');
    expect(await directoryCell(vendor)).toBe('<span class="muted">too few stories yet</span>');
    await figuresAreRight();
  });

  it('nothing is shown below 3 stories; "not on Partner Stories yet" without a representative', async () => {
    const [few, absent] = ['Figures Vendor Few', 'Figures Vendor Absent'];
    const teller = await newMember('fg-few-teller');
    const teller2 = await newMember('fg-few-teller-two');
    const rep = await newMember('fg-few-rep');
    const a = await postStory(teller, { title: 'Figures few story one', vendors: few });
    const b = await postStory(teller2, { title: 'Figures few story two', vendors: few });
    await postStory(teller, { title: 'Figures absent story', vendors: absent });
    await grant(few, 'fg-few-rep');
    await respondOk(rep, a);
    await respondOk(rep, b);
    await markOk(teller, a, 'resolved');

    const box = answersBox((await visitor().get(`/vendors/${await slugOf(few)}`)).body);
    expect(box).not.toContain('Responded to');
    expect(box).not.toContain('Typically within');
    expect(box).not.toContain('Partners say resolved');
    expect(box).not.toContain('Not on Partner Stories yet');
    expect(box).toContain('Figures on answers are shown once 3 stories');
    expect(box).toContain('(2 stories so far)');
    expect(await directoryCell(few)).toBe('<span class="muted">too few stories yet</span>');

    const none = answersBox((await visitor().get(`/vendors/${await slugOf(absent)}`)).body);
    expect(none).toContain(
      `<strong>Not on Partner Stories yet:</strong> no representative of ${absent} answers stories here.`,
    );
    expect(none).not.toContain('Responded to');
    expect(await directoryCell(absent)).toBe(
      '<span class="muted">not on Partner Stories yet</span>',
    );
  });

  it('"typically within D days" is the median of the whole days begun before each answer', async () => {
    const vendor = 'Figures Vendor Days';
    const ids = [];
    for (const n of [1, 2, 3, 4]) {
      const teller = await newMember(`fg-days-teller-${n}`);
      ids.push(await postStory(teller, { title: `Figures days story ${n}`, vendors: vendor }));
    }
    const rep = await newMember('fg-days-rep');
    await grant(vendor, 'fg-days-rep');
    const slug = await slugOf(vendor);
    // Before the answer is posted: the days are counted when it is.
    const backdate = (id: number, hours: number) =>
      sql`update threads set created_at = now() - make_interval(hours => ${hours}::int)
          where id = ${id}`.execute(t.app.db);
    // 2 days and 12 hours is the third day begun; 4 days and 1 hour the fifth; 9 days and a bit
    // the tenth.
    await backdate(ids[0]!, 60);
    await backdate(ids[1]!, 97);
    await backdate(ids[2]!, 225);
    for (const id of ids.slice(0, 3)) await respondOk(rep, id);
    const box = async () => answersBox((await visitor().get(`/vendors/${slug}`)).body);
    expect(await box()).toContain(
      'Typically within <strong>5 days</strong> <span class="muted">(the median of 3 answers)</span>',
    );
    expect(await directoryCell(vendor)).toContain('typically within 5 days');
    // A fourth answer within the hour (1 day): the median of 1, 3, 5 and 10 days is 4.
    await respondOk(rep, ids[3]!);
    expect(await box()).toContain('Typically within <strong>4 days</strong>');
    expect(await box()).toContain(rate(100, 4, 4));
    await figuresAreRight();
  });
});

// ---------------------------------------------------------------------------------------------

describe("the representative's vendor desk and notices", () => {
  it('lists unanswered stories oldest first and those marked not resolved; for representatives only', async () => {
    const vendor = 'Desk Vendor One';
    const tellers = [];
    for (const n of [1, 2, 3]) tellers.push(await newMember(`dk-one-teller-${n}`));
    const rep = await newMember('dk-one-rep');
    const titles = ['Desk one oldest story', 'Desk one middle story', 'Desk one newest story'];
    const ids = [];
    ids.push(await postStory(tellers[0]!, { title: titles[0], vendors: vendor }));
    ids.push(await postStory(tellers[1]!, { title: titles[1], vendors: vendor, anonymous: true }));
    ids.push(await postStory(tellers[2]!, { title: titles[2], vendors: vendor }));
    await postStory(tellers[0]!, { title: 'Desk one unrelated story', vendors: 'Desk Other' });
    await grant(vendor, 'dk-one-rep');

    const home = await rep.get('/');
    expect(home.body).toContain('<a href="/vendor-desk">Vendor desk</a>');
    const desk = await rep.get('/vendor-desk');
    expect(desk.statusCode).toBe(200);
    const waiting = chunk(desk.body, 'id="unanswered-heading"', '</section>');
    const positions = titles.map((title) => waiting.indexOf(`>${title}</a>`));
    expect(positions.every((at) => at > -1)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(waiting).not.toContain('Desk one unrelated story');
    // An anonymous story shows on the desk as it does to anyone.
    const anonCard = storyCard(waiting, titles[1]!);
    expect(anonCard).toContain('Anonymous provider');
    expect(anonCard).not.toContain('dk-one-teller-2');
    expect(chunk(desk.body, 'id="not-resolved-heading"', '</section>')).toContain(
      'No author has marked an answer',
    );

    await respondOk(rep, ids[0]!);
    await respondOk(rep, ids[1]!);
    await markOk(tellers[1]!, ids[1]!, 'not-resolved');
    const after = await rep.get('/vendor-desk');
    const stillWaiting = chunk(after.body, 'id="unanswered-heading"', '</section>');
    expect(stillWaiting).not.toContain(titles[0]);
    expect(stillWaiting).not.toContain(titles[1]);
    expect(stillWaiting).toContain(titles[2]);
    const notResolved = chunk(after.body, 'id="not-resolved-heading"', '</section>');
    expect(notResolved).toContain(`>${titles[1]}</a>`);
    expect(notResolved).not.toContain(titles[0]);

    const member = tellers[0]!;
    expect((await member.get('/')).body).not.toContain('href="/vendor-desk"');
    const refused = await member.get('/vendor-desk');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(titles[2]);
    expect((await moderator.get('/vendor-desk')).statusCode).toBe(403);
    const gate = await visitor().get('/vendor-desk');
    expect(gate.statusCode).toBe(303);
    expect(gate.headers.location).toBe('/login?next=%2Fvendor-desk');
  });

  it('tells a representative of new stories about their vendor, in the header count too', async () => {
    const vendor = 'Desk Vendor Notices';
    const teller = await newMember('dk-notice-teller');
    const rep = await newMember('dk-notice-rep');
    const bystander = await newMember('dk-notice-bystander');
    await postStory(teller, { title: 'Desk notices before the grant', vendors: vendor });
    await grant(vendor, 'dk-notice-rep');
    expect(await unread(rep)).toBe(0);

    const fresh = await postStory(teller, { title: 'Desk notices fresh story', vendors: vendor });
    const quiet = await postStory(bystander, {
      title: 'Desk notices anonymous story',
      vendors: vendor,
      anonymous: true,
    });
    await postStory(teller, { title: 'Desk notices other vendor', vendors: 'Desk Vendor Else' });
    expect(await unread(rep)).toBe(2);
    const page = await rep.get('/notifications');
    const first = notice(page.body, 'Desk notices fresh story');
    expect(first).toContain('notice-unread');
    expect(first).toContain(
      `New story about ${vendor}: <a href="/threads/${fresh}">Desk notices fresh story</a>`,
    );
    const second = notice(page.body, 'Desk notices anonymous story');
    expect(second).toContain(`<a href="/threads/${quiet}">`);
    expect(second).not.toContain('dk-notice-bystander');
    expect(page.body).not.toContain('Desk notices other vendor');
    // Stories from before the grant are not news.
    expect(page.body).not.toMatch(
      /<li class="notice-item notice-unread">(?:(?!<\/li>)[\s\S])*Desk notices before the grant/,
    );
    // Members who represent nobody hear nothing of it.
    expect((await bystander.get('/notifications')).body).not.toContain('New story about');

    expect((await markNoticesRead(rep)).statusCode).toBe(303);
    expect(await unread(rep)).toBe(0);
    await postStory(teller, { title: 'Desk notices after reading', vendors: vendor });
    expect(await unread(rep)).toBe(1);
  });

  it("tells the story's author, named or anonymous, that the vendor answered", async () => {
    const vendor = 'Notice Vendor Answers';
    const named = await newMember('nt-named-author');
    const hidden = await newMember('nt-hidden-author');
    const rep = await newMember('nt-answer-rep');
    const namedId = await postStory(named, { title: 'Notice named story', vendors: vendor });
    const anonId = await postStory(hidden, {
      title: 'Notice anonymous story',
      vendors: vendor,
      anonymous: true,
    });
    await grant(vendor, 'nt-answer-rep');
    expect(await unread(named)).toBe(0);
    expect(await unread(hidden)).toBe(0);
    const namedResponse = await respondOk(rep, namedId);
    const anonResponse = await respondOk(rep, anonId);

    for (const [client, id, rid, title] of [
      [named, namedId, namedResponse, 'Notice named story'],
      [hidden, anonId, anonResponse, 'Notice anonymous story'],
    ] as const) {
      expect(await unread(client)).toBe(1);
      const page = await client.get('/notifications');
      const item = notice(page.body, title);
      expect(item).toContain('notice-unread');
      expect(item).toContain(
        `<strong>${vendor}</strong> <span class="badge badge-official">official</span> answered your story <a href="/replies/${rid}">${title}</a>. You can mark whether it resolved your problem.`,
      );
      const followed = await client.get(`/replies/${rid}`);
      expect(followed.headers.location).toBe(`/threads/${id}#response-${rid}`);
    }
    // The other author is not told of a story not theirs.
    expect((await named.get('/notifications')).body).not.toContain('Notice anonymous story');
  });
});
