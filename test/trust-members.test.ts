import { suspend as suspendMember } from '../server/suspensions/store.js';
import { inTransaction } from '../server/db/transaction.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';

// Issue 9, findings 12 and 14: what a suspended member may still change and sees, and what
// nobody may do to a hidden post or a locked thread's replies.

let t: TestApp;
let author: TestClient;
let other: TestClient;
let suspended: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  author = new TestClient(t.app);
  await registerMember(author, 'story-author');
  other = new TestClient(t.app);
  await registerMember(other, 'other-member');
  suspended = new TestClient(t.app);
  await registerMember(suspended, 'suspended-member');
});
afterAll(async () => t.close());

async function memberId(username: string) {
  const row = await t.app.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Suspends a member the way moderation stores it: under the keyed subject, never by name. */
async function suspend(username: string, until: Date) {
  const subject = t.app.anonymity.suspensionSubject(await memberId(username));
  await t.app.db.insertInto('suspensions').values({ subject, until }).execute();
}

async function hide(table: 'threads' | 'replies', id: number) {
  await sql`update ${sql.table(table)} set hidden_at = now(), hidden_reason = 'spam' where id = ${id}`.execute(
    t.app.db,
  );
}

async function scoreOf(table: 'threads' | 'replies', id: number) {
  const { rows } = await sql<{
    score: number;
  }>`select score from ${sql.table(table)} where id = ${id}`.execute(t.app.db);
  return Number(rows[0]!.score);
}

describe('a suspended member cannot change their profile', () => {
  it('refuses bio and company with a 403 that says why, and keeps the old values', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'profile-suspended');
    await member.get('/account');
    await member.post('/account/profile', { company: 'Before Ltd', bio: 'before' });
    await suspend('profile-suspended', new Date(Date.now() + 86_400_000));
    await member.get('/account');
    const refused = await member.post('/account/profile', {
      company: 'Vendor Shill Inc',
      bio: 'Buy everything',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toMatch(/Your account is suspended until [^.]*\. You can still read/);
    const row = await t.app.db
      .selectFrom('users')
      .select(['company', 'bio'])
      .where('username', '=', 'profile-suspended')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ company: 'Before Ltd', bio: 'before' });
    // Their password and their account stay theirs to change.
    const password = await member.post('/account/password', {
      current_password: 'correct horse battery',
      new_password: 'another long password',
    });
    expect(password.statusCode).toBe(303);
  });
});

describe('hidden posts', () => {
  it('their author cannot edit them, named or anonymous, but may delete them', async () => {
    for (const anonymous of [false, true]) {
      const id = await postStory(author, { title: `Hidden story ${anonymous}`, anonymous });
      const replyId = await postReply(author, id, `hidden reply ${anonymous}`, anonymous);
      await hide('threads', id);
      await hide('replies', replyId);

      const form = await author.get(`/threads/${id}/edit`);
      expect(form.statusCode).toBe(403);
      expect(form.body).toContain('This post is hidden by moderators and cannot be edited');
      const edit = await author.post(`/threads/${id}/edit`, {
        title: 'Rewritten while hidden',
        body: 'new body',
        sentiment: 'good',
        action: 'post',
      });
      expect(edit.statusCode).toBe(403);
      expect(edit.body).toContain('This post is hidden by moderators and cannot be edited');

      expect((await author.get(`/replies/${replyId}/edit`)).statusCode).toBe(403);
      const replyEdit = await author.post(`/replies/${replyId}/edit`, { body: 'rewritten' });
      expect(replyEdit.statusCode).toBe(403);
      expect(replyEdit.body).toContain('This post is hidden by moderators and cannot be edited');

      const story = await t.app.db
        .selectFrom('threads')
        .select('title')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(story.title).toBe(`Hidden story ${anonymous}`);
      const reply = await t.app.db
        .selectFrom('replies')
        .select('body_source')
        .where('id', '=', replyId)
        .executeTakeFirstOrThrow();
      expect(reply.body_source).toBe(`hidden reply ${anonymous}`);

      // Someone else hears "not yours", as for any post, hidden or not.
      const stranger = await other.post(`/replies/${replyId}/edit`, { body: 'x' });
      expect(stranger.statusCode).toBe(403);
      expect(stranger.body).toContain('You can only change your own posts.');
      expect(stranger.body).not.toContain('is hidden');

      await author.get(`/replies/${replyId}/delete`);
      expect((await author.post(`/replies/${replyId}/delete`)).statusCode).toBe(303);
      await author.get(`/threads/${id}/delete`);
      expect((await author.post(`/threads/${id}/delete`)).statusCode).toBe(303);
    }
  });

  it('take no votes, and their score stays', async () => {
    const id = await postStory(author, { title: 'A story hidden before the votes' });
    const replyId = await postReply(author, id, 'a reply hidden before the votes');
    await hide('threads', id);
    await hide('replies', replyId);
    await other.get(`/threads/${id}`);
    for (const [path, table, postId] of [
      [`/threads/${id}/vote`, 'threads', id],
      [`/replies/${replyId}/vote`, 'replies', replyId],
    ] as const) {
      const before = await scoreOf(table, postId);
      const form = await other.post(path, { value: 'up' });
      expect(form.statusCode).toBe(409);
      expect(form.body).toContain('This post is hidden and takes no votes.');
      const json = await other.post(path, { value: 'down' }, { accept: 'application/json' });
      expect(json.statusCode).toBe(409);
      expect(await scoreOf(table, postId)).toBe(before);
    }
    const votes = await sql<{
      n: string;
    }>`select (select count(*) from thread_votes where post_id = ${id}) + (select count(*) from reply_votes where post_id = ${replyId}) as n`.execute(
      t.app.db,
    );
    expect(Number(votes.rows[0]!.n)).toBe(0);
    // Moderators still read the hidden post, with no vote buttons on it.
    const page = await author.get(`/threads/${id}`);
    expect(page.body).not.toContain(`action="/threads/${id}/vote"`);
  });
});

describe('locked threads', () => {
  it('refuse edits of their replies, as they refuse new ones', async () => {
    const id = await postStory(author, { title: 'A story that gets locked' });
    const replyId = await postReply(other, id, 'written before the lock');
    await sql`update threads set locked_at = now() where id = ${id}`.execute(t.app.db);
    const form = await other.get(`/replies/${replyId}/edit`);
    expect(form.statusCode).toBe(409);
    expect(form.body).toContain('Moderators locked this story: its replies cannot be edited.');
    const edit = await other.post(`/replies/${replyId}/edit`, { body: 'changed after the lock' });
    expect(edit.statusCode).toBe(409);
    expect(edit.body).toContain('Moderators locked this story: its replies cannot be edited.');
    const reply = await t.app.db
      .selectFrom('replies')
      .select('body_source')
      .where('id', '=', replyId)
      .executeTakeFirstOrThrow();
    expect(reply.body_source).toBe('written before the lock');
    const page = await other.get(`/threads/${id}`);
    expect(page.body).not.toContain(`href="/replies/${replyId}/edit"`);
  });
});

describe('a suspended member sees a banner instead of controls that fail', () => {
  it("gives the moderators' reason in the banner, to that member alone", async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'told-why');
    const subject = t.app.anonymity.suspensionSubject(await memberId('told-why'));
    await inTransaction(t.app.db, (trx) =>
      suspendMember(
        trx,
        t.app.anonymity,
        subject,
        new Date(Date.now() + 86_400_000),
        'Insults in three replies',
      ),
    );
    const page = await member.get('/vendors');
    expect(page.body).toMatch(
      /Your account is suspended until [^.]*\. The moderators' reason: “Insults in three replies”\. You can still read/,
    );
    const visitor = await new TestClient(t.app).get('/vendors');
    expect(visitor.body).not.toContain('Insults in three replies');
  });

  it('shows the end date to that member alone and hides vote, reply, story and report controls', async () => {
    const id = await postStory(author, { title: 'A story everyone reads' });
    const replyId = await postReply(author, id, 'a reply everyone reads');
    const until = new Date('2099-12-09T14:00:30Z');
    await suspend('suspended-member', until);

    const page = await suspended.get(`/threads/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your account is suspended until 2099-12-09 14:00 UTC');
    expect(page.body).not.toContain('class="vote-form"');
    expect(page.body).not.toContain(`action="/threads/${id}/vote"`);
    expect(page.body).not.toContain(`action="/replies/${replyId}/vote"`);
    expect(page.body).not.toContain(`action="/threads/${id}/replies"`);
    expect(page.body).not.toContain('/report"');
    expect(page.body).not.toContain('href="/threads/new');
    for (const url of ['/', '/vendors', '/vendors/acme-networks', '/account', '/search?q=x']) {
      const other = await suspended.get(url);
      expect(other.body, url).toContain('Your account is suspended until 2099-12-09 14:00 UTC');
      expect(other.body, url).not.toContain('href="/threads/new');
    }

    const seen = await other.get(`/threads/${id}`);
    expect(seen.body).not.toMatch(/suspended/i);
    expect(seen.body).toContain(`action="/threads/${id}/vote"`);
    expect(seen.body).toContain(`action="/threads/${id}/replies"`);
    expect(seen.body).toContain('href="/threads/new"');
    expect((await other.get('/users/suspended-member')).body).not.toMatch(/suspended until/i);

    const visitor = await new TestClient(t.app).get(`/threads/${id}`);
    expect(visitor.body).not.toMatch(/suspended/i);
  });

  it('says "permanently" for a permanent suspension', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'gone-for-good');
    await suspend('gone-for-good', new Date('9999-12-31T00:00:00Z'));
    const page = await member.get('/');
    expect(page.body).toContain('Your account is suspended permanently');
  });

  it('costs the same number of queries suspended or not', async () => {
    const id = await postStory(author, { title: 'A story to count queries on' });
    const count = async (client: TestClient) => {
      const before = t.app.database.queryCount();
      expect((await client.get(`/threads/${id}`)).statusCode).toBe(200);
      return t.app.database.queryCount() - before;
    };
    expect(await count(suspended)).toBe(await count(other));
  });
});
