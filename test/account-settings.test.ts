import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { expectedAggregates, maintainedAggregates } from '../server/reputation/recompute.js';

const PASSWORD = 'correct horse battery';
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('the public profile', () => {
  it('is edited on /account and shown on /users/:username', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'profiled');
    await member.get('/account');
    const saved = await member.post('/account/profile', {
      company: 'Northwind IT',
      bio: 'Managed services, 40 people.',
    });
    expect(saved.statusCode).toBe(303);
    expect((await member.get(saved.headers.location as string)).body).toContain(
      'Your profile is saved.',
    );
    const profile = await new TestClient(t.app).get('/users/profiled');
    expect(profile.body).toContain('Northwind IT');
    expect(profile.body).toContain('Managed services, 40 people.');
    const tooLong = await member.post('/account/profile', {
      company: 'c'.repeat(101),
      bio: 'kept bio',
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Keep the company name to 100 characters.');
    expect(tooLong.body).toContain('kept bio</textarea>');
  });
});

describe('changing the password', () => {
  it('needs the current password, then ends every other session', async () => {
    const here = new TestClient(t.app);
    await registerMember(here, 'changer', PASSWORD);
    const elsewhere = new TestClient(t.app);
    await elsewhere.submit('/login', '/login', { username: 'changer', password: PASSWORD });
    await here.get('/account');
    const wrong = await here.post('/account/password', {
      current_password: 'not it at all',
      new_password: 'a brand new password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('That is not your current password.');
    const short = await here.post('/account/password', {
      current_password: PASSWORD,
      new_password: 'short',
    });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('id="new_password-error"');
    const changed = await here.post('/account/password', {
      current_password: PASSWORD,
      new_password: 'a brand new password',
    });
    expect(changed.statusCode).toBe(303);
    expect((await here.get('/account')).statusCode).toBe(200);
    expect((await elsewhere.get('/account')).statusCode).toBe(303);
    const old = await new TestClient(t.app).submit('/login', '/login', {
      username: 'changer',
      password: PASSWORD,
    });
    expect(old.statusCode).toBe(400);
    const fresh = await new TestClient(t.app).submit('/login', '/login', {
      username: 'changer',
      password: 'a brand new password',
    });
    expect(fresh.statusCode).toBe(303);
  });
});

describe('deleting the account', () => {
  it('asks for the username and password', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'hesitant', PASSWORD);
    await member.get('/account');
    const wrongName = await member.post('/account/delete', {
      confirm_username: 'someone',
      password: PASSWORD,
    });
    expect(wrongName.statusCode).toBe(400);
    expect(wrongName.body).toContain('Type your username, hesitant, to confirm.');
    const wrongPassword = await member.post('/account/delete', {
      confirm_username: 'hesitant',
      password: 'not the password',
    });
    expect(wrongPassword.statusCode).toBe(400);
    expect(wrongPassword.body).toContain('value="hesitant"');
    expect((await member.get('/account')).statusCode).toBe(200);
  });

  it('keeps the posts, anonymous ones anonymous, and leaves nothing that links back', async () => {
    const leaver = new TestClient(t.app);
    await registerMember(leaver, 'leaver', PASSWORD);
    const other = new TestClient(t.app);
    await registerMember(other, 'stayer');
    const named = await postStory(leaver, {
      title: 'Named story of a leaver',
      vendors: 'Leave Vendor',
      sentiment: 'good',
    });
    const anonymous = await postStory(leaver, {
      title: 'Anonymous story of a leaver',
      vendors: 'Leave Vendor',
      sentiment: 'bad',
      anonymous: true,
    });
    await postReply(leaver, anonymous, 'The leaver answers anonymously', true);
    const target = await postStory(other, { title: 'A story the leaver voted on' });
    await leaver.get(`/threads/${target}`);
    await leaver.post(`/threads/${target}/vote`, { value: 'up' });
    const before = await new TestClient(t.app).get(`/threads/${anonymous}`);
    const pseudonyms = [...before.body.matchAll(/Anonymous provider · ([A-Z2-9]{4})/g)].map(
      (m) => m[1],
    );
    const memberId = (
      await t.app.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'leaver')
        .executeTakeFirstOrThrow()
    ).id;

    await leaver.get('/account');
    const gone = await leaver.post('/account/delete', {
      confirm_username: 'leaver',
      password: PASSWORD,
    });
    expect(gone.statusCode).toBe(200);
    expect(gone.body).toContain('Your account is deleted');
    expect((await leaver.get('/account')).statusCode).toBe(303);

    const namedPage = await new TestClient(t.app).get(`/threads/${named}`);
    expect(namedPage.body).toContain('Named story of a leaver');
    expect(namedPage.body).toContain('[deleted member]');
    expect(namedPage.body).not.toContain('leaver</a>');
    const anonymousPage = await new TestClient(t.app).get(`/threads/${anonymous}`);
    const after = [...anonymousPage.body.matchAll(/Anonymous provider · ([A-Z2-9]{4})/g)].map(
      (m) => m[1],
    );
    expect(after).toHaveLength(2);
    expect(after[0]).toBe(after[1]); // still one author within the thread
    expect(after).toEqual(pseudonyms.slice(0, 2)); // and nothing visible changed
    expect((await new TestClient(t.app).get('/users/leaver')).statusCode).toBe(404);

    const rows = await t.app.db
      .selectFrom('threads')
      .select(['author_box', 'author_tag'])
      .where('id', '=', anonymous)
      .executeTakeFirstOrThrow();
    expect(t.app.anonymity.open(rows.author_box!)).toBeNull();
    expect(rows.author_tag).not.toBe(t.app.anonymity.authorTag(anonymous, memberId));
    const keys = await t.app.db
      .selectFrom('thread_vendors')
      .select(['vendor_id', 'voice_key'])
      .where('thread_id', 'in', [named, anonymous])
      .execute();
    expect(keys).toHaveLength(2);
    for (const { vendor_id, voice_key } of keys) {
      expect(voice_key).not.toBe(t.app.anonymity.namedVoice(vendor_id, memberId));
    }
    expect(
      await t.app.db.selectFrom('anonymous_ledgers').select('owner').execute(),
    ).not.toContainEqual({ owner: t.app.anonymity.ledgerOwner(memberId) });
    expect(
      await t.app.db.selectFrom('sessions').select('id').where('user_id', '=', memberId).execute(),
    ).toEqual([]);
    const score = await t.app.db
      .selectFrom('threads')
      .select('score')
      .where('id', '=', target)
      .executeTakeFirstOrThrow();
    expect(score.score).toBe(0);
    expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));
  });
});
