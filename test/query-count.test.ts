import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { createReply } from '../server/threads/replies.js';
import { replyTwinCandidates } from '../server/threads/double-submit.js';
import { updateRole } from '../server/accounts/queries.js';
import type { Member } from '../server/security/member.js';

let t: TestApp;
let client: TestClient;
let member: Member;

beforeAll(async () => {
  t = await createTestApp();
  client = new TestClient(t.app);
  await registerMember(client, 'counter');
  const row = await t.app.db
    .selectFrom('users')
    .select(['id', 'username', 'role'])
    .executeTakeFirstOrThrow();
  member = row;
});
afterAll(async () => t.close());

/** How many SQL statements one request runs. */
async function queriesFor(url: string, as: TestClient = new TestClient(t.app)) {
  const before = t.app.database.queryCount();
  const response = await as.get(url);
  expect(response.statusCode, url).toBe(200);
  return t.app.database.queryCount() - before;
}

async function addReplies(threadId: number, count: number, anonymousEvery = 3) {
  for (let i = 0; i < count; i++) {
    await createReply(t.app.db, t.app.anonymity, member, threadId, {
      body: `reply ${i}`,
      anonymous: i % anonymousEvery === 0,
    });
  }
}

describe('a page costs a fixed number of queries', () => {
  it('the thread page with 1 and with 200 replies', async () => {
    const small = await postStory(client, { title: 'Thread with one reply', vendors: 'Solo' });
    await addReplies(small, 1);
    const big = await postStory(client, {
      title: 'Thread with many replies',
      vendors: 'V1, V2, V3, V4, V5',
      area_demos: 'bad',
      area_mdf: 'good',
    });
    await addReplies(big, 200);

    const visitorSmall = await queriesFor(`/threads/${small}`);
    const visitorBig = await queriesFor(`/threads/${big}`);
    const visitorLastPage = await queriesFor(`/threads/${big}?page=4`);
    expect(visitorBig).toBe(visitorSmall);
    expect(visitorLastPage).toBe(visitorSmall);
    expect(visitorSmall).toBe(2); // the story with its vendors and ratings; the replies

    // A member with stories costs three more: the session; their own columns, in one statement
    // (their suspension, for the banner and the controls, and what their unread notices derive
    // from); and the count of those notices, however many stories and replies they have. Their
    // own votes come with the story and its replies.
    const memberSmall = await queriesFor(`/threads/${small}`, client);
    expect(await queriesFor(`/threads/${big}`, client)).toBe(memberSmall);
    expect(memberSmall).toBe(visitorSmall + 3);

    // A member with no story and no vendor to watch has nothing to count: the session and their
    // columns, two statements on every page.
    const reader = new TestClient(t.app);
    await registerMember(reader, 'reader');
    expect(await queriesFor(`/threads/${small}`, reader)).toBe(visitorSmall + 2);
    expect(await queriesFor('/about', reader)).toBe(2);
  });

  it('the front page and a vendor page, with 1 and with 20 stories', async () => {
    const fresh = await createTestApp();
    try {
      const poster = new TestClient(fresh.app);
      await registerMember(poster, 'poster');
      const count = async (url: string) => {
        const before = fresh.app.database.queryCount();
        const response = await new TestClient(fresh.app).get(url);
        expect(response.statusCode).toBe(200);
        return fresh.app.database.queryCount() - before;
      };
      await postStory(poster, { vendors: 'Busy Vendor' });
      const frontOne = await count('/');
      const vendorOne = await count('/vendors/busy-vendor');
      // One anonymous story per member and vendor: the anonymous ones come from several members.
      const anonymousPosters: TestClient[] = [];
      for (let i = 0; i < 12; i++) {
        anonymousPosters.push(new TestClient(fresh.app));
        await registerMember(anonymousPosters[i]!, `anonymous-poster-${i}`);
      }
      for (let i = 0; i < 24; i++) {
        await postStory(i % 2 === 0 ? anonymousPosters[i / 2]! : poster, {
          vendors: `Busy Vendor, Extra ${i}, Third ${i % 4}`,
          anonymous: i % 2 === 0,
        });
      }
      expect(await count('/')).toBe(frontOne);
      expect(await count('/?page=2')).toBe(frontOne);
      expect(await count('/vendors/busy-vendor')).toBe(vendorOne);
      expect(frontOne).toBe(1);
      expect(vendorOne).toBe(3); // the vendor with its aggregates and answers; the list; its profile
      expect(await count('/vendors')).toBe(1);
    } finally {
      await fresh.close();
    }
  });
  it('notifications, the account page and the moderation queue, with few and with many', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'notice-writer');
    const moderator = new TestClient(t.app);
    await registerMember(moderator, 'notice-moderator');
    await t.app.db
      .updateTable('users')
      .set({ role: 'moderator' })
      .where('username', '=', 'notice-moderator')
      .execute();
    const replier = await t.app.db
      .selectFrom('users')
      .select(['id', 'username', 'role'])
      .where('username', '=', 'counter')
      .executeTakeFirstOrThrow();
    const story = async (i: number, anonymous: boolean) => {
      const id = await postStory(writer, { vendors: `Notice Vendor ${i}`, anonymous });
      await createReply(t.app.db, t.app.anonymity, replier, id, { body: 'hi', anonymous: false });
      await writer.get(`/threads/${id}`);
      await writer.post(`/threads/${id}/replies`, { body: 'my own', anonymous: 'on' });
      await moderator.get('/mod');
      await new TestClient(t.app).get('/');
      return id;
    };
    const report = async (id: number) => {
      await client.get(`/threads/${id}/report`);
      await client.post(`/threads/${id}/report`, { reason: 'spam' });
    };
    await report(await story(0, true));
    await report(await story(1, false));
    const few = {
      notifications: await queriesFor('/notifications', writer),
      account: await queriesFor('/account', writer),
      mod: await queriesFor('/mod', moderator),
    };
    for (let i = 2; i < 14; i++) await report(await story(i, i % 2 === 0));
    expect({
      notifications: await queriesFor('/notifications', writer),
      account: await queriesFor('/account', writer),
      mod: await queriesFor('/mod', moderator),
    }).toEqual(few);
  });
  it("the vendors' side: an answered story, the vendor desk and the directory, few and many", async () => {
    const fresh = await createTestApp();
    try {
      const admin = new TestClient(fresh.app);
      await registerMember(admin, 'desk_admin');
      await updateRole(fresh.app.db, 'desk_admin', 'admin');
      const representative = new TestClient(fresh.app);
      await registerMember(representative, 'desk_rep');
      const writer = new TestClient(fresh.app);
      await registerMember(writer, 'desk_writer');
      const first = await postStory(writer, { vendors: 'Desk Vendor' });
      await admin.submit('/mod/vendors/desk-vendor', '/mod/vendors/desk-vendor/representatives', {
        username: 'desk_rep',
        reason: 'verified',
        action: 'grant',
      });
      const count = async (url: string, as: TestClient) => {
        const before = fresh.app.database.queryCount();
        const response = await as.get(url);
        expect(response.statusCode, url).toBe(200);
        return fresh.app.database.queryCount() - before;
      };
      const unanswered = await count(`/threads/${first}`, new TestClient(fresh.app));
      await representative.get(`/threads/${first}`);
      await representative.post(`/threads/${first}/response`, { body: 'We are on it.' });
      // The answer comes with the story: no query of its own.
      expect(await count(`/threads/${first}`, new TestClient(fresh.app))).toBe(unanswered);
      const few = {
        desk: await count('/vendor-desk', representative),
        directory: await count('/vendors', new TestClient(fresh.app)),
        vendor: await count('/vendors/desk-vendor', new TestClient(fresh.app)),
      };
      for (let i = 0; i < 25; i++) {
        const id = await postStory(writer, { vendors: `Desk Vendor, Other Desk ${i}` });
        if (i % 2 === 0) {
          await representative.get(`/threads/${id}`);
          await representative.post(`/threads/${id}/response`, { body: `Answer ${i}` });
        }
      }
      expect({
        desk: await count('/vendor-desk', representative),
        directory: await count('/vendors', new TestClient(fresh.app)),
        vendor: await count('/vendors/desk-vendor', new TestClient(fresh.app)),
      }).toEqual(few);
    } finally {
      await fresh.close();
    }
  });
});

describe('a write reads what it checks, not the whole story', () => {
  it("a reply's double-submit check finds the replies with its text through an index", async () => {
    const story = await postStory(client, { title: 'A story many reply to', vendors: 'Busy' });
    await addReplies(story, 60);
    await sql`analyze replies`.execute(t.app.db); // as autovacuum keeps a table in use
    const query = replyTwinCandidates(t.app.db, story, 'reply 7').compile();
    const plan = await t.app.db.transaction().execute(async (trx) => {
      // As on a large story, where reading its replies one by one would cost the most.
      await sql`select set_config('enable_seqscan', 'off', true)`.execute(trx);
      const { rows } = await trx.executeQuery<{ 'QUERY PLAN': string }>({
        ...query,
        sql: `explain ${query.sql}`,
      });
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('replies_twin_idx');
    expect(plan).toMatch(/Index Cond: .*md5\(body_source\)/);
    // And it still finds the twin: the same text, sent within the minute.
    expect(await replyTwinCandidates(t.app.db, story, 'reply 7').execute()).toHaveLength(1);
  });
});
