import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';
import { findSuspension } from '../server/suspensions/store.js';
import { expectedAggregates, maintainedAggregates } from '../server/reputation/recompute.js';

// Moderation a vendor cannot game, and the one-voice rule for anonymous stories (issue 9).

let t: TestApp;
let author: TestClient;
let moderator: TestClient;
let secondModerator: TestClient;
const established: TestClient[] = [];
const fresh: TestClient[] = [];

const vendorNumbers = (slug: string) =>
  t.app.db
    .selectFrom('vendors')
    .select(['story_count', 'voices', 'good', 'mixed', 'bad'])
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();

async function report(client: TestClient, path: string) {
  await client.get(`${path}/report`);
  return client.post(`${path}/report`, { reason: 'false-claim', note: '' });
}

beforeAll(async () => {
  t = await createTestApp();
  author = new TestClient(t.app);
  await registerMember(author, 'storyteller');
  moderator = new TestClient(t.app);
  await registerMember(moderator, 'mod-one');
  await updateRole(t.app.db, 'mod-one', 'moderator');
  secondModerator = new TestClient(t.app);
  await registerMember(secondModerator, 'mod-two');
  await updateRole(t.app.db, 'mod-two', 'moderator');
  for (const name of ['old-one', 'old-two', 'old-three', 'old-silent']) {
    const client = new TestClient(t.app);
    await registerMember(client, name);
    if (name !== 'old-silent')
      await postStory(client, { title: `A story by ${name}`, vendors: 'Elsewhere Inc' });
    established.push(client);
  }
  await sql`update users set created_at = now() - interval '10 days'
            where username like 'old-%'`.execute(t.app.db);
  for (const name of ['sock-one', 'sock-two', 'sock-three']) {
    const client = new TestClient(t.app);
    await registerMember(client, name);
    await postStory(client, { title: `A sock puppet's story by ${name}`, vendors: 'Elsewhere' });
    fresh.push(client);
  }
});
afterAll(async () => t.close());

describe('reports', () => {
  it('from new accounts reach the queue but hide nothing and change no numbers', async () => {
    const id = await postStory(author, { title: 'Criticism a vendor dislikes', vendors: 'Buryco' });
    const before = await vendorNumbers('buryco');
    for (const sock of fresh) expect((await report(sock, `/threads/${id}`)).statusCode).toBe(200);
    // An old account without a visible post counts no more than a new one.
    expect((await report(established[3]!, `/threads/${id}`)).statusCode).toBe(200);
    const page = await new TestClient(t.app).get(`/threads/${id}`);
    expect(page.body).toContain('Criticism a vendor dislikes');
    expect(await vendorNumbers('buryco')).toEqual(before);
    const queue = await moderator.get('/mod');
    expect(queue.body).toContain(
      '4 reporters</strong> (3 new accounts, not counted toward hiding)',
    );
  });

  it('from established members hold a story for review, and it still counts', async () => {
    const id = await postStory(author, {
      title: 'Criticism three members report',
      vendors: 'Holdco',
      sentiment: 'bad',
    });
    const before = await vendorNumbers('holdco');
    for (const member of established.slice(0, 3)) await report(member, `/threads/${id}`);
    const page = await new TestClient(t.app).get(`/threads/${id}`);
    expect(page.body).toContain('[hidden while moderators review reports]');
    expect(page.body).not.toContain('removed by moderators');
    expect((await new TestClient(t.app).get('/vendors/holdco')).body).not.toContain(
      'Criticism three members report',
    );
    expect(await vendorNumbers('holdco')).toEqual(before);
    expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));

    // A moderator's decision to hide is what takes it out of the numbers.
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, { action: 'hide', reason: 'unfounded claim' });
    expect(await vendorNumbers('holdco')).toEqual({
      ...before,
      story_count: before.story_count - 1,
      voices: before.voices - 1,
      bad: before.bad - 1,
    });
    expect((await new TestClient(t.app).get(`/threads/${id}`)).body).toContain(
      '[removed by moderators: unfounded claim]',
    );
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, { action: 'restore', reason: 'on second look' });
    expect(await vendorNumbers('holdco')).toEqual(before);
    expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));
  });

  it('follow AUTO_HIDE_REPORTERS', async () => {
    const strict = await createTestApp({ autoHideReporters: 1, reporterMinAgeDays: 0 });
    try {
      const [writer, reporter] = [new TestClient(strict.app), new TestClient(strict.app)];
      await registerMember(writer, 'writer');
      await registerMember(reporter, 'reporter');
      await postStory(reporter, { title: 'The reporter has a story' });
      const id = await postStory(writer, { title: 'Held after one report' });
      await reporter.get(`/threads/${id}/report`);
      await reporter.post(`/threads/${id}/report`, { reason: 'spam' });
      expect((await new TestClient(strict.app).get(`/threads/${id}`)).body).toContain(
        '[hidden while moderators review reports]',
      );
    } finally {
      await strict.close();
    }
  });
});

describe('a moderator and their own posts', () => {
  it('may not act on them, named or anonymous; only they are told why', async () => {
    const named = await postStory(moderator, { title: 'A moderator writes by name' });
    const anonymous = await postStory(moderator, {
      title: 'A moderator writes anonymously',
      vendors: 'Own Post Vendor',
      anonymous: true,
    });
    const reply = await postReply(moderator, named, 'And replies anonymously', true);
    for (const path of [`/threads/${named}`, `/threads/${anonymous}`, `/replies/${reply}`]) {
      await report(established[0]!, path);
      for (const action of ['hide', 'dismiss', 'suspend']) {
        await moderator.get('/mod');
        const response = await moderator.post(`/mod${path}`, {
          action,
          reason: 'my own post',
          duration: '1',
        });
        expect(response.statusCode, `${action} ${path}`).toBe(403);
        expect(response.body).toContain('another moderator will review it');
      }
    }
    const own = (await moderator.get('/mod')).body;
    expect(own.match(/badge-own">your post/g)?.length).toBe(3);
    const other = (await secondModerator.get('/mod')).body;
    expect(other).not.toContain('your post');
    // Another moderator may act, and nothing in the answer names the author.
    await secondModerator.get('/mod');
    const done = await secondModerator.post(`/mod/threads/${anonymous}`, {
      action: 'dismiss',
      reason: 'nothing wrong',
    });
    expect(done.statusCode).toBe(303);
    const page = await moderator.get(`/threads/${anonymous}`);
    expect(page.body).toContain('This is your own post: another moderator will review it.');
    expect((await secondModerator.get(`/threads/${anonymous}`)).body).not.toContain(
      'your own post',
    );
  });
});

describe('the moderation form', () => {
  it('makes the action an explicit choice, and asks for a length only to suspend', async () => {
    const id = await postStory(author, { title: 'A story for the form' });
    await report(established[1]!, `/threads/${id}`);
    const body = (await moderator.get('/mod')).body;
    const item = body.slice(body.indexOf('A story for the form'));
    const form = item.slice(item.indexOf('<form'), item.indexOf('</form>'));
    expect(form).toContain('type="radio" name="action" value="dismiss"');
    expect(form).not.toMatch(/checked|selected/);
    expect(form).not.toContain('name="duration"');
    const suspend = item.slice(item.indexOf('mod-suspend'));
    expect(suspend.slice(0, suspend.indexOf('</form>'))).toContain('name="duration"');
    await moderator.get('/mod');
    const none = await moderator.post(`/mod/threads/${id}`, { reason: 'forgot to choose' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose an action');
  });

  it('times a suspension through an anonymous post to the hour, like its log entry', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'suspended-writer');
    const id = await postStory(writer, {
      title: 'An anonymous story that earns a suspension',
      vendors: 'Suspension Vendor',
      anonymous: true,
    });
    await moderator.get('/mod');
    await moderator.post(`/mod/threads/${id}`, {
      action: 'suspend',
      duration: '7',
      reason: 'threats',
    });
    const { id: memberId } = await t.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'suspended-writer')
      .executeTakeFirstOrThrow();
    const row = await t.app.db
      .selectFrom('suspensions')
      .selectAll()
      .where('subject', '=', t.app.anonymity.suspensionSubject(memberId))
      .executeTakeFirstOrThrow();
    // The end is sealed with the reason; nothing in the clear can be matched to the log.
    expect(row.until).toBeNull();
    const suspension = await findSuspension(t.app.db, t.app.anonymity, memberId);
    expect(suspension!.until.getTime() % 3_600_000).toBe(0);
    expect(suspension!.reason).toBe('threats');
    const entry = await t.app.db
      .selectFrom('moderation_log')
      .select('created_at')
      .where('thread_id', '=', id)
      .where('action', '=', 'suspend')
      .executeTakeFirstOrThrow();
    expect(new Date(entry.created_at).getTime() % 3_600_000).toBe(0);
    expect(row.sealed).not.toContain('threats');
    const notices = (await writer.get('/notifications')).body;
    expect(notices).toContain('Reason: threats');
  });
});

describe('one anonymous story per member and vendor', () => {
  it('refuses a second one to its author, keeping the input, with a link to the first', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'two-stories');
    const first = await postStory(writer, {
      title: 'The first anonymous story',
      vendors: 'Oncey',
      anonymous: true,
    });
    const before = await vendorNumbers('oncey');
    await writer.get('/threads/new');
    const second = await writer.post('/threads', {
      title: 'A second anonymous story',
      body: 'This text must not be lost.',
      vendors: 'oncey',
      sentiment: 'good',
      anonymous: 'on',
      action: 'post',
    });
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('You already have an anonymous story about Oncey.');
    expect(second.body).toContain(`href="/threads/${first}/edit"`);
    expect(second.body).toContain('value="A second anonymous story"');
    expect(second.body).toContain('This text must not be lost.');
    expect(await vendorNumbers('oncey')).toEqual(before);
    // Under their own name it is fine, and counts as a separate voice.
    await writer.get('/threads/new');
    const named = await writer.post('/threads', {
      title: 'A second story, named',
      body: 'Named this time.',
      vendors: 'Oncey',
      sentiment: 'good',
      action: 'post',
    });
    expect(named.statusCode).toBe(303);
    // Another member's anonymous story about the vendor is theirs to tell.
    await postStory(author, {
      title: 'Someone else, anonymous',
      vendors: 'Oncey',
      anonymous: true,
    });
    // Deleting the first gives the voice back.
    await writer.get(`/threads/${first}/delete`);
    await writer.post(`/threads/${first}/delete`);
    await postStory(writer, { title: 'A new anonymous story', vendors: 'Oncey', anonymous: true });
    expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));
  });

  it('survives a vendor merge without linking the two stories', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'merged-writer');
    const a = await postStory(writer, {
      title: 'Anonymous about Mergeco',
      vendors: 'Mergeco',
      sentiment: 'bad',
      anonymous: true,
    });
    const b = await postStory(writer, {
      title: 'Anonymous about Mergeco Group',
      vendors: 'Mergeco Group',
      sentiment: 'good',
      anonymous: true,
    });
    await moderator.get('/mod');
    const merged = await moderator.post('/mod/vendors/merge', {
      from: 'mergeco-group',
      into: 'mergeco',
      reason: 'same company',
    });
    expect(merged.statusCode).toBe(303);
    const rows = await t.app.db
      .selectFrom('thread_vendors')
      .select(['thread_id', 'voice_key', 'counted'])
      .where('thread_id', 'in', [a, b])
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { thread_id: a, voice_key: null, counted: true },
        { thread_id: b, voice_key: null, counted: true },
      ]),
    );
    expect(await vendorNumbers('mergeco')).toMatchObject({ voices: 2, good: 1, bad: 1 });
    // The claim moved: a third anonymous story about the merged vendor is refused.
    await writer.get('/threads/new');
    const third = await writer.post('/threads', {
      title: 'A third anonymous story',
      body: 'Refused.',
      vendors: 'Mergeco',
      sentiment: 'bad',
      anonymous: 'on',
      action: 'post',
    });
    expect(third.statusCode).toBe(409);
  });
});
