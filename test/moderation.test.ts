import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';
import { expectedAggregates, maintainedAggregates } from '../server/reputation/recompute.js';

let t: TestApp;
let author: TestClient;
let moderator: TestClient;
const reporters: TestClient[] = [];
const MARKER = 'zq-anon-author-4410';

beforeAll(async () => {
  t = await createTestApp();
  author = new TestClient(t.app);
  await registerMember(author, MARKER);
  moderator = new TestClient(t.app);
  await registerMember(moderator, 'the-mod');
  await updateRole(t.app.db, 'the-mod', 'moderator');
  for (const name of ['rep-one', 'rep-two', 'rep-three']) {
    const client = new TestClient(t.app);
    await registerMember(client, name);
    await postStory(client, { title: `A story of ${name}`, vendors: 'Reporters Own Vendor' });
    reporters.push(client);
  }
  // Established members: only their reports hide a post before a moderator looks.
  await sql`update users set created_at = now() - interval '8 days'
            where username in ('rep-one', 'rep-two', 'rep-three')`.execute(t.app.db);
});
afterAll(async () => t.close());

async function report(client: TestClient, path: string, reason = 'false-claim', note = '') {
  await client.get(`${path}/report`);
  return client.post(`${path}/report`, { reason, note });
}

async function act(
  path: string,
  action: string,
  reason: string,
  extra: Record<string, string> = {},
) {
  await moderator.get('/mod');
  return moderator.post(`/mod${path}`, { action, reason, next: '/mod', ...extra });
}

const aggregatesAreRight = async () =>
  expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));

describe('reporting', () => {
  it('a member reports a post once; the second time is a friendly 409', async () => {
    const id = await postStory(author, { title: 'A story to report once' });
    const page = await reporters[0]!.get(`/threads/${id}`);
    expect(page.body).toContain(`href="/threads/${id}/report">Report</a>`);
    const first = await report(reporters[0]!, `/threads/${id}`, 'spam', 'Looks like an advert');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Thanks, moderators will review it');
    const second = await report(reporters[0]!, `/threads/${id}`, 'other');
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('You reported this post already');
    const rows = await t.app.db
      .selectFrom('reports')
      .select('id')
      .where('thread_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('checks the reason and the note, keeping the input', async () => {
    const id = await postStory(author, { title: 'A story for report validation' });
    const bad = await report(reporters[1]!, `/threads/${id}`, 'boring', 'kept note');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Choose why you report this post.');
    expect(bad.body).toContain('kept note</textarea>');
    const long = await report(reporters[1]!, `/threads/${id}`, 'other', 'n'.repeat(1001));
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('Keep the note to 1,000 characters.');
  });

  it('needs a login', async () => {
    const id = await postStory(author, { title: 'A story visitors cannot report' });
    const visitor = await new TestClient(t.app).get(`/threads/${id}/report`);
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toContain('/login?next=');
  });
});

describe('permissions', () => {
  it('every /mod route and action is for moderators: members get 403, visitors log in', async () => {
    const id = await postStory(author, { title: 'A story only moderators may act on' });
    const member = reporters[2]!;
    await member.get('/');
    for (const url of ['/mod', '/mod/log']) {
      expect((await member.get(url)).statusCode).toBe(403);
      const visitor = await new TestClient(t.app).get(url);
      expect(visitor.statusCode).toBe(303);
      expect(visitor.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    for (const [url, form] of [
      [`/mod/threads/${id}`, { action: 'hide', reason: 'member tries' }],
      [`/mod/threads/${id}`, { action: 'suspend', duration: '7', reason: 'member tries' }],
      ['/mod/vendors/merge', { from: 'acme-networks', into: 'dell', reason: 'member tries' }],
    ] as const) {
      expect((await member.post(url, form)).statusCode).toBe(403);
      expect((await new TestClient(t.app).post(url, form)).statusCode).toBe(403); // no CSRF cookie either
    }
    const row = await t.app.db
      .selectFrom('threads')
      .select('hidden_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.hidden_at).toBeNull();
  });

  it('every action needs a written reason and a CSRF token', async () => {
    const id = await postStory(author, { title: 'A story without a reason to hide' });
    const missing = await act(`/threads/${id}`, 'hide', '  ');
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('needs a reason');
    const forged = await moderator.post(`/mod/threads/${id}`, {
      _csrf: 'forged',
      action: 'hide',
      reason: 'a reason',
    });
    expect(forged.statusCode).toBe(403);
    const row = await t.app.db
      .selectFrom('threads')
      .select('hidden_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.hidden_at).toBeNull();
  });
});

describe('hiding, restoring, auto-hide', () => {
  it('hides a story for the public, keeps it for its author and moderators, and restores it', async () => {
    const id = await postStory(author, {
      title: 'Secret claims about a vendor',
      body: 'The claim text',
      vendors: 'Hide Vendor',
      sentiment: 'bad',
      area_mdf: 'bad',
    });
    await postStory(reporters[0]!, { vendors: 'Hide Vendor', sentiment: 'good' });
    const response = await act(`/threads/${id}`, 'hide', 'unverifiable claim');
    expect(response.statusCode).toBe(303);
    const publicView = await new TestClient(t.app).get(`/threads/${id}`);
    expect(publicView.body).toContain('[removed by moderators: unverifiable claim]');
    expect(publicView.body).not.toContain('The claim text');
    expect(publicView.body).not.toContain('Secret claims about a vendor');
    const authorView = await author.get(`/threads/${id}`);
    expect(authorView.body).toContain('The claim text');
    expect(authorView.body).toContain('Hidden from the public by moderators: unverifiable claim');
    expect((await moderator.get(`/threads/${id}`)).body).toContain('The claim text');
    // Gone from lists, feeds and the vendor's numbers, in the same transaction.
    expect((await new TestClient(t.app).get('/')).body).not.toContain('Secret claims');
    expect((await new TestClient(t.app).get('/feed.atom')).body).not.toContain('Secret claims');
    expect((await new TestClient(t.app).get('/vendors/hide-vendor')).body).not.toContain(
      'Secret claims',
    );
    const vendor = await t.app.db
      .selectFrom('vendors')
      .select(['story_count', 'voices', 'bad'])
      .where('slug', '=', 'hide-vendor')
      .executeTakeFirstOrThrow();
    expect(vendor).toEqual({ story_count: 1, voices: 1, bad: 0 });
    await aggregatesAreRight();
    // The author cannot reply under it, nobody can.
    await author.get(`/threads/${id}`);
    expect((await author.post(`/threads/${id}/replies`, { body: 'still here' })).statusCode).toBe(
      409,
    );

    expect((await act(`/threads/${id}`, 'restore', 'claim checked')).statusCode).toBe(303);
    expect((await new TestClient(t.app).get(`/threads/${id}`)).body).toContain('The claim text');
    expect((await new TestClient(t.app).get('/')).body).toContain('Secret claims');
    const restored = await t.app.db
      .selectFrom('vendors')
      .select(['story_count', 'voices', 'bad'])
      .where('slug', '=', 'hide-vendor')
      .executeTakeFirstOrThrow();
    expect(restored).toEqual({ story_count: 2, voices: 2, bad: 1 });
    await aggregatesAreRight();
  });

  it('hides a post at the third distinct reporter, first in the queue', async () => {
    const older = await postStory(author, { title: 'Reported once, long ago' });
    await report(reporters[1]!, `/threads/${older}`);
    const id = await postStory(author, { title: 'Reported by three members' });
    const replyId = await postReply(author, id, 'A reply reported too');
    await report(reporters[0]!, `/replies/${replyId}`, 'harassment', 'rude');
    for (const [index, client] of reporters.entries()) {
      await report(client, `/threads/${id}`, 'false-claim', `note ${index}`);
      const row = await t.app.db
        .selectFrom('threads')
        .select('hidden_at')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(row.hidden_at === null).toBe(index < 2);
    }
    expect((await new TestClient(t.app).get(`/threads/${id}`)).body).toContain(
      '[hidden while moderators review reports]',
    );
    const queue = await moderator.get('/mod');
    expect(queue.statusCode).toBe(200);
    const firstItem = queue.body.indexOf('<li class="queue-item');
    expect(queue.body.indexOf('Reported by three members')).toBeLessThan(
      queue.body.indexOf('Reported once, long ago'),
    );
    expect(queue.body.slice(firstItem, firstItem + 400)).toContain('3 reporters');
    expect(queue.body).toContain('hidden while moderators review reports');
    expect(queue.body).toContain('note 2');
    expect(queue.body).toContain('A reply reported too');
    const log = await moderator.get('/mod/log?action=auto-hide');
    expect(log.body).toContain(`story ${id}`);

    // Dismissing reports that hid a post brings it back.
    expect((await act(`/threads/${id}`, 'dismiss', 'reports unfounded')).statusCode).toBe(303);
    expect((await new TestClient(t.app).get(`/threads/${id}`)).body).toContain(
      'Reported by three members',
    );
    const after = await moderator.get('/mod');
    expect(after.body).not.toContain(`Story: <a href="/threads/${id}/`);
    expect(after.body).toContain(`Reply in: <a href="/threads/${id}/`);
  });
});

describe('locking', () => {
  it('a locked story takes no replies until unlocked', async () => {
    const id = await postStory(author, { title: 'A story to lock' });
    await act(`/threads/${id}`, 'lock', 'heated');
    const page = await reporters[0]!.get(`/threads/${id}`);
    expect(page.body).toContain('Moderators locked this story');
    expect(page.body).not.toContain('class="reply-form"');
    expect(
      (await reporters[0]!.post(`/threads/${id}/replies`, { body: 'let me in' })).statusCode,
    ).toBe(409);
    await act(`/threads/${id}`, 'unlock', 'calmer now');
    await reporters[0]!.get(`/threads/${id}`);
    expect(
      (await reporters[0]!.post(`/threads/${id}/replies`, { body: 'let me in' })).statusCode,
    ).toBe(303);
  });
});

describe('suspending the author of an anonymous post', () => {
  it('suspends them without any moderator screen naming them', async () => {
    // This member posts only anonymously, so that no named post of theirs is on the screens.
    const hidden = 'zq-hidden-5521';
    const author = new TestClient(t.app);
    await registerMember(author, hidden);
    const MARKER = hidden;
    const id = await postStory(author, {
      title: 'Anonymous story to suspend over',
      anonymous: true,
    });
    await report(reporters[0]!, `/threads/${id}`, 'harassment');
    const memberId = (
      await t.app.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', MARKER)
        .executeTakeFirstOrThrow()
    ).id;
    const queue = await moderator.get('/mod');
    expect(queue.body).toContain('Anonymous provider');
    expect(queue.body).not.toContain(MARKER);
    expect(
      (await act(`/threads/${id}`, 'suspend', 'harassing another provider', { duration: '7' }))
        .statusCode,
    ).toBe(303);
    for (const url of ['/mod', '/mod/log', '/mod/log?action=suspend', `/threads/${id}`]) {
      const body = (await moderator.get(url)).body;
      expect(body, url).not.toContain(MARKER);
      expect(body, url).not.toContain(`/users/${MARKER}`);
    }
    expect((await moderator.get(`/users/${MARKER}`)).body).not.toMatch(/suspend/i);
    const log = await moderator.get('/mod/log?action=suspend');
    expect(log.body).toContain('7 days');
    expect(log.body).toContain(`story ${id}`);
    const entry = await t.app.db
      .selectFrom('moderation_log')
      .selectAll()
      .where('action', '=', 'suspend')
      .executeTakeFirstOrThrow();
    expect(entry.member).toBeNull();
    expect(JSON.stringify(entry)).not.toContain(MARKER);
    // Neither the members table nor the suspension row names them.
    const user = await t.app.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    expect(Object.keys(user).filter((column) => /suspen/.test(column))).toEqual([]);
    const suspensions = await t.app.db.selectFrom('suspensions').selectAll().execute();
    expect(suspensions).toHaveLength(1);
    expect(Object.keys(suspensions[0]!).sort()).toEqual(['sealed', 'subject', 'until']);
    expect(suspensions[0]!.subject).toMatch(/^[A-Za-z0-9_-]{43}$/); // a keyed hash, not the id
    expect(suspensions[0]!.subject).toBe(t.app.anonymity.suspensionSubject(memberId));
    expect((await new TestClient(t.app).get(`/users/${MARKER}`)).body).not.toMatch(/suspend/i);

    // The suspended member reads, but cannot post, reply, vote or report, and is told until when.
    expect((await author.get('/')).statusCode).toBe(200);
    const form = await author.get('/threads/new');
    expect(form.statusCode).toBe(403);
    expect(form.body).toMatch(/Your account is suspended until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const other = await postStory(reporters[1]!, { title: 'A story the suspended member tries' });
    await author.get(`/threads/${other}`);
    expect((await author.post(`/threads/${other}/replies`, { body: 'hi' })).statusCode).toBe(403);
    expect((await author.post(`/threads/${other}/vote`, { value: 'up' })).statusCode).toBe(403);
    expect((await author.post(`/threads/${other}/report`, { reason: 'spam' })).statusCode).toBe(
      403,
    );
    expect((await author.get('/account')).body).toContain('Your account is suspended until');
  });

  it('names a member in the log when the post was not anonymous', async () => {
    const id = await postStory(reporters[2]!, { title: 'A named story to suspend over' });
    await act(`/threads/${id}`, 'suspend', 'spamming', { duration: 'permanent' });
    const log = await moderator.get('/mod/log?action=suspend');
    expect(log.body).toContain('member rep-three');
    expect(log.body).toContain('permanently');
    const form = await reporters[2]!.get('/threads/new');
    expect(form.body).toContain('Your account is suspended permanently');
  });
});

describe('merging vendors', () => {
  it('moves stories, keeps one voice, redirects the old slug and keeps aggregates right', async () => {
    const a = new TestClient(t.app);
    await registerMember(a, 'merger-a');
    await postStory(a, {
      vendors: 'Dell Technologies',
      sentiment: 'bad',
      title: 'Dell Technologies story',
    });
    await postStory(a, {
      vendors: 'Dell',
      sentiment: 'good',
      title: 'Dell story by the same member',
    });
    await postStory(moderator, {
      vendors: 'Dell Technologies',
      sentiment: 'mixed',
      anonymous: true,
      title: 'Anonymous Dell Technologies story',
    });
    await aggregatesAreRight();
    const response = await (async () => {
      await moderator.get('/mod');
      return moderator.post('/mod/vendors/merge', {
        from: 'dell-technologies',
        into: 'dell',
        reason: 'same company',
      });
    })();
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/vendors/dell');
    const old = await new TestClient(t.app).get('/vendors/dell-technologies');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/vendors/dell');
    expect(
      (await new TestClient(t.app).get('/vendors/dell-technologies/feed.atom')).headers.location,
    ).toBe('/vendors/dell/feed.atom');
    const page = await new TestClient(t.app).get('/vendors/dell');
    expect(page.body).toContain('Also known as Dell Technologies');
    expect(page.body).toContain('Anonymous Dell Technologies story');
    // merger-a's two stories are one voice now: the later (good) one counts; plus the anonymous mixed one.
    const dell = await t.app.db
      .selectFrom('vendors')
      .select(['story_count', 'voices', 'good', 'mixed', 'bad'])
      .where('slug', '=', 'dell')
      .executeTakeFirstOrThrow();
    expect(dell).toEqual({ story_count: 3, voices: 2, good: 1, mixed: 1, bad: 0 });
    await aggregatesAreRight();
    // A story tagged with the old name now lands on the merged vendor.
    const later = await postStory(a, {
      vendors: 'dell technologies',
      title: 'Tagged with the old name',
    });
    expect((await a.get(`/threads/${later}`)).body).toContain('href="/vendors/dell">Dell</a>');
    const log = await moderator.get('/mod/log?action=merge-vendor');
    expect(log.body).toContain('Dell Technologies (dell-technologies) into Dell (dell)');
  });
});

describe('the moderation log', () => {
  it('cannot be changed through any route, nor by SQL', async () => {
    const before = await t.app.db.selectFrom('moderation_log').selectAll().orderBy('id').execute();
    expect(before.length).toBeGreaterThan(0);
    const id = before[0]!.id;
    await moderator.get('/mod/log');
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      for (const url of ['/mod/log', `/mod/log/${id}`]) {
        const response = await t.app.inject({
          method,
          url,
          headers: { cookie: [...moderator.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        expect([403, 404, 405]).toContain(response.statusCode);
      }
    }
    for (const url of ['/mod/log', `/mod/log/${id}`, `/mod/log/${id}/delete`]) {
      expect([403, 404]).toContain((await moderator.post(url, { reason: 'x' })).statusCode);
    }
    await expect(
      sql`update moderation_log set reason = 'rewritten'`.execute(t.app.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from moderation_log`.execute(t.app.db)).rejects.toThrow(/append-only/);
    const after = await t.app.db.selectFrom('moderation_log').selectAll().orderBy('id').execute();
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('filters by moderator and by action', async () => {
    const byMod = await moderator.get('/mod/log?moderator=the-mod');
    expect(byMod.body).toContain('the-mod');
    expect(byMod.body).not.toContain('<td>system</td>');
    const bySystem = await moderator.get('/mod/log?moderator=system');
    expect(bySystem.body).toContain('auto-hide');
    expect(bySystem.body).not.toContain('<td>the-mod</td>');
  });
});

describe('edge cases found in review', () => {
  it('deleting a hidden story does not lower its vendor count twice', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'edge-writer');
    await postStory(writer, { vendors: 'Count Vendor', title: 'Stays visible' });
    const id = await postStory(reporters[0]!, {
      vendors: 'Count Vendor',
      title: 'Hidden then deleted',
    });
    await act(`/threads/${id}`, 'hide', 'checking counts');
    await reporters[0]!.get(`/threads/${id}/delete`);
    expect((await reporters[0]!.post(`/threads/${id}/delete`)).statusCode).toBe(303);
    const vendor = await t.app.db
      .selectFrom('vendors')
      .select('story_count')
      .where('slug', '=', 'count-vendor')
      .executeTakeFirstOrThrow();
    expect(vendor.story_count).toBe(1);
    await aggregatesAreRight();
  });

  it("shows a hidden story's title on no replier's profile", async () => {
    const id = await postStory(reporters[1]!, { title: 'Title that must vanish' });
    await postReply(reporters[0]!, id, 'a reply on it');
    await act(`/threads/${id}`, 'hide', 'vanish');
    const profile = await new TestClient(t.app).get('/users/rep-one');
    expect(profile.body).not.toContain('Title that must vanish');
    expect(profile.body).toContain('[removed story]');
  });

  it('a suspended moderator cannot moderate; a shorter suspension does not shorten a longer one', async () => {
    const mod2 = new TestClient(t.app);
    await registerMember(mod2, 'second-mod');
    await updateRole(t.app.db, 'second-mod', 'moderator');
    const own = await postStory(mod2, { title: 'Second moderator story' });
    await act(`/threads/${own}`, 'suspend', 'testing', { duration: 'permanent' });
    await act(`/threads/${own}`, 'suspend', 'testing again', { duration: '1' });
    const target = await postStory(reporters[1]!, { title: 'Target of a suspended moderator' });
    await mod2.get('/mod');
    const response = await mod2.post(`/mod/threads/${target}`, {
      action: 'hide',
      reason: 'should not work',
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('suspended permanently');
  });
});
