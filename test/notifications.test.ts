import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
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
  it('tell the author of replies, with an unread count in the header, read once seen', async () => {
    const id = await postStory(author, { title: 'A story that gets replies' });
    expect(await unread(author)).toBe(0);
    await postReply(replier, id, 'A named reply');
    await postReply(author, id, 'The author answers'); // no notice for one's own reply
    expect(await unread(author)).toBe(1);
    const page = await author.get('/notifications');
    expect(page.body).toContain(`<strong>${REPLIER}</strong> replied to your story`);
    expect(page.body).toContain('A story that gets replies');
    expect(await unread(author)).toBe(0);
    expect((await author.get('/notifications')).body).not.toContain('notice-unread');
  });

  it('reach the author of an anonymous story, and never name an anonymous replier', async () => {
    const id = await postStory(author, {
      title: 'An anonymous story with replies',
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
    expect(notice).not.toContain(REPLIER);
  });

  it("tell of moderators' actions with the reason, and of a suspension", async () => {
    const id = await postStory(author, { title: 'A story moderators hide', anonymous: true });
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
    expect(page.body).toContain('Your account is suspended for 1 day. Reason: personal data');
    // The moderator's own pages still say nothing of who it is.
    expect((await moderator.get('/mod/log')).body).not.toContain('story-author');
  });

  it('leave nothing in the database that names the recipient or the thread', async () => {
    const { id: authorId } = await t.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'story-author')
      .executeTakeFirstOrThrow();
    const rows = await t.app.db.selectFrom('notifications').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.recipient).toMatch(/^[A-Za-z0-9_-]{43}$/); // a keyed hash, not the member id
      expect(row.sealed).not.toMatch(/story|thread|Anonymous/i);
      expect(new Date(row.created_at).getUTCMinutes()).toBe(0);
    }
    // A member's notices about named and anonymous posts go to different keys.
    const keys = new Set(rows.map((row) => row.recipient));
    expect(keys.has(t.app.anonymity.notificationRecipient(authorId, false))).toBe(true);
    expect(keys.has(t.app.anonymity.notificationRecipient(authorId, true))).toBe(true);
    const { rows: ids } = await sql<{ id: string }>`select id from notifications`.execute(t.app.db);
    for (const { id } of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('are for members only', async () => {
    const visitor = await new TestClient(t.app).get('/notifications');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Fnotifications');
  });
});
