import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { markNoticesRead, postReply, postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';

const REPLIER = 'zq-replier-3307';
let t: TestApp;
let author: TestClient;
let replier: TestClient;
let moderator: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  [author, replier, moderator] = [
    new TestClient(t.app),
    new TestClient(t.app),
    new TestClient(t.app),
  ];
  await registerMember(author, 'story-author');
  await registerMember(replier, REPLIER);
  await registerMember(moderator, 'notice-mod');
  await updateRole(t.app.db, 'notice-mod', 'moderator');
});
afterAll(async () => t.close());

const unread = async (client: TestClient) => {
  const match = /Notifications <span class="unread-count">(\d+)</.exec(
    (await client.get('/')).body,
  );
  return match ? Number(match[1]) : 0;
};

describe('notifications', () => {
  it('tell the author of replies, with an unread count, read only when marked read', async () => {
    const id = await postStory(author, { title: 'A story that gets replies' });
    expect(await unread(author)).toBe(0);
    await postReply(replier, id, 'A named reply');
    await postReply(author, id, 'The author answers'); // no notice for one's own reply
    await postReply(author, id, 'The author answers anonymously', true); // nor for this one
    expect(await unread(author)).toBe(1);
    const page = await author.get('/notifications');
    expect(page.body).toContain(`<strong>${REPLIER}</strong> replied to your story`);
    expect(page.body).toContain('A story that gets replies');
    expect(page.body).not.toContain('The author answers');
    // Seeing the page marks nothing: a link from another site must not clear the notices.
    expect(await unread(author)).toBe(1);
    expect((await author.get('/notifications')).body).toContain('notice-unread');

    const forged = await author.post('/notifications/read', { _csrf: null });
    expect(forged.statusCode).toBe(403);
    expect(await unread(author)).toBe(1);

    const marked = await markNoticesRead(author);
    expect(marked.statusCode).toBe(303);
    expect(await unread(author)).toBe(0);
    expect((await author.get('/notifications')).body).not.toContain('notice-unread');
    // A later reply is news again.
    await postReply(replier, id, 'Another named reply');
    expect(await unread(author)).toBe(1);
  });

  it('reach the author of an anonymous story, and never name an anonymous replier', async () => {
    const id = await postStory(author, {
      title: 'An anonymous story with replies',
      vendors: 'Anonymous Notice Vendor',
      anonymous: true,
    });
    await postReply(replier, id, 'An anonymous reply', true);
    const page = await author.get('/notifications');
    const notice =
      /<li class="notice-item[^"]*">(?:(?!<\/li>)[\s\S])*An anonymous story with replies(?:(?!<\/li>)[\s\S])*<\/li>/.exec(
        page.body,
      )![0];
    expect(notice).toMatch(
      /<strong>Anonymous provider · [A-Z2-9]{4}<\/strong> replied to your story/,
    );
    expect(notice).toContain('notice-unread');
    expect(notice).not.toContain(REPLIER);
    // Nobody else is told.
    expect((await replier.get('/notifications')).body).not.toContain(
      'An anonymous story with replies',
    );
  });

  it("tell of moderators' actions with the reason, and of a suspension", async () => {
    const id = await postStory(author, {
      title: 'A story moderators hide',
      vendors: 'Hidden Notice Vendor',
      anonymous: true,
    });
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, {
      action: 'hide',
      reason: 'names a person',
      next: '/mod',
    });
    await moderator.post(`/mod/threads/${id}`, {
      action: 'suspend',
      duration: '1',
      reason: 'personal data',
      next: '/mod',
    });
    const page = await author.get('/notifications');
    expect(page.body).toContain('Moderators hid your story');
    expect(page.body).toContain('Reason: names a person');
    expect(page.body).toMatch(/Your account is suspended until [^.]+ UTC\. Reason: personal data/);
    // The moderator's own pages still say nothing of who it is.
    expect((await moderator.get('/mod/log')).body).not.toContain('story-author');
  });

  it('store nothing about anonymous posts, and nothing that names the recipient', async () => {
    const before = await t.app.db.selectFrom('notifications').selectAll().execute();
    const author = new TestClient(t.app); // the first one is suspended by now
    await registerMember(author, 'lock-author');
    const named = await postStory(author, { title: 'A named story moderators lock' });
    const anonymous = await postStory(author, {
      title: 'An anonymous story moderators lock',
      vendors: 'Locked Notice Vendor',
      anonymous: true,
    });
    await postReply(replier, anonymous, 'A reply that is not stored as a notice');
    await moderator.get('/mod');
    for (const id of [named, anonymous])
      await moderator.post(`/mod/threads/${id}`, { action: 'lock', reason: 'enough said' });
    const rows = await t.app.db.selectFrom('notifications').selectAll().execute();
    // One new stored notice: the lock of the named story. Replies and the anonymous story's
    // lock are derived when the author reads them.
    expect(rows.length - before.length).toBe(1);
    const { id: authorId } = await t.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'lock-author')
      .executeTakeFirstOrThrow();
    const { id: firstAuthorId } = await t.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'story-author')
      .executeTakeFirstOrThrow();
    for (const row of rows) {
      expect(row.recipient).toMatch(/^[A-Za-z0-9_-]{43}$/); // a keyed hash, not the member id
      expect([authorId, firstAuthorId].map(t.app.anonymity.noticeRecipient)).toContain(
        row.recipient,
      );
      expect(row.sealed).not.toMatch(/story|thread|Anonymous/i);
      expect(new Date(row.created_at).getUTCMinutes()).toBe(0);
    }
    // Sealed notices are padded: their lengths do not follow their titles' lengths.
    expect(new Set(rows.map((row) => row.sealed.length)).size).toBe(1);
    const page = (await author.get('/notifications')).body;
    expect(page).toContain('Moderators locked your story <a href="/threads/' + anonymous);
    expect(page).toContain('Moderators locked your story <a href="/threads/' + named);
    const { rows: ids } = await sql<{ id: string }>`select id from notifications`.execute(t.app.db);
    for (const { id } of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('mark read only what the page showed, and agree with the header', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'exact-reader');
    const id = await postStory(member, {
      title: 'An anonymous story moderators hide and lock',
      vendors: 'Exact Vendor',
      anonymous: true,
    });
    const gone = await postStory(member, {
      title: 'An anonymous story its author deletes',
      vendors: 'Gone Vendor',
      anonymous: true,
    });
    await postReply(replier, gone, 'A reply to a story deleted later'); // no notice once gone
    await member.get(`/threads/${gone}/delete`);
    await member.post(`/threads/${gone}/delete`);
    await postReply(replier, id, 'A reply before the page');
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, { action: 'lock', reason: 'calm down' });
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, { action: 'hide', reason: 'too heated' });
    expect(await unread(member)).toBe(3);
    const page = (await member.get('/notifications')).body;
    expect(page.match(/notice-unread/g)).toHaveLength(3);
    expect(page).not.toContain('An anonymous story its author deletes');

    // A reply that arrives after the page was shown is not marked read with it.
    const form = /<form method="post" action="\/notifications\/read"[\s\S]*?<\/form>/.exec(
      page,
    )![0];
    const fields = Object.fromEntries(
      [...form.matchAll(/name="([a-z_]+)" value="([^"]*)"/g)]
        .filter((m) => m[1] !== '_csrf')
        .map((m) => [m[1]!, m[2]!]),
    );
    const other = new TestClient(t.app);
    await registerMember(other, 'late-replier');
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, { action: 'restore', reason: 'fine after all' });
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, { action: 'unlock', reason: 'fine after all' });
    await postReply(other, id, 'A reply after the page');
    await member.get('/notifications');
    expect((await member.post('/notifications/read', fields)).statusCode).toBe(303);
    expect(await unread(member)).toBe(1);
    expect((await member.get('/notifications')).body.match(/notice-unread/g)).toHaveLength(1);
    await markNoticesRead(member);
    expect(await unread(member)).toBe(0);
  });

  it('are for members only', async () => {
    const visitor = await new TestClient(t.app).get('/notifications');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Fnotifications');
  });
});
