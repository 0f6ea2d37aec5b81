import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { addVendorAlias, findVendorBySlug } from '../server/vendors/queries.js';

let t: TestApp;
let alice: TestClient;
let bob: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  alice = new TestClient(t.app);
  bob = new TestClient(t.app);
  await registerMember(alice, 'alice');
  await registerMember(bob, 'bob');
});
afterAll(async () => t.close());

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('posting a story', () => {
  it('shows the story with vendors, sentiment, tier, rated areas, author and time', async () => {
    const id = await postStory(alice, {
      title: 'Premier partner, still no demo unit',
      body: 'We asked for a *demo unit* three times.\n\n- first ask\n- second ask',
      vendors: 'Contoso Storage, Fabrikam',
      sentiment: 'mixed',
      tier: 'premier',
      area_demos: 'bad',
      area_education: 'good',
    });
    const page = await new TestClient(t.app).get(`/threads/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 id="story-title">Premier partner, still no demo unit</h1>');
    expect(page.body).toContain('<em>demo unit</em>');
    expect(page.body).toContain('<li>first ask</li>');
    expect(page.body).toContain('href="/vendors/contoso-storage">Contoso Storage</a>');
    expect(page.body).toContain('href="/vendors/fabrikam">Fabrikam</a>');
    expect(page.body).toContain('mixed experience');
    expect(page.body).toContain('Premier partner');
    expect(text(page.body)).toContain('Customer demos: bad');
    expect(text(page.body)).toContain('Education and training: good');
    expect(text(page.body)).not.toContain('Beta programs:');
    expect(page.body).toContain('href="/users/alice">alice</a>');
    expect(page.body).toMatch(/<time datetime="[^"]+" title="[^"]+ UTC">just now<\/time>/);
  });

  it('needs a login: a visitor is sent to log in and brought back', async () => {
    const visitor = new TestClient(t.app);
    const form = await visitor.get('/threads/new');
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe('/login?next=%2Fthreads%2Fnew');
  });

  it('preselects a vendor from ?vendor=slug and suggests known vendors and tiers', async () => {
    await postStory(alice, { vendors: 'Northwind Cloud', tier: 'Gold' });
    const form = await alice.get('/threads/new?vendor=northwind-cloud');
    expect(form.body).toContain(
      'name="vendors" type="text" list="vendor-suggestions" required value="Northwind Cloud"',
    );
    expect(form.body).toContain('<option value="Northwind Cloud"></option>');
    expect(form.body).toContain('<option value="Gold"></option>');
  });

  it('normalizes the tier to the first spelling seen', async () => {
    const id = await postStory(bob, { vendors: 'Tailspin', tier: '  GOLD ' });
    const page = await bob.get(`/threads/${id}`);
    expect(page.body).toContain('<span class="tier">Gold partner</span>');
  });

  it.each([
    ['a short title', { title: 'Hey' }, 'title', 'Give your story a title of 5–150 characters.'],
    ['an overlong title', { title: 'x'.repeat(151) }, 'title', 'Give your story a title'],
    ['a blank title', { title: '       ' }, 'title', 'Give your story a title'],
    ['an empty body', { body: '' }, 'body', 'Write your story'],
    ['a body over 20,000 characters', { body: 'y'.repeat(20_001) }, 'body', 'Write your story'],
    ['no vendor', { vendors: ' , ' }, 'vendors', 'Name the vendor this story is about.'],
    ['six vendors', { vendors: 'A1,B2,C3,D4,E5,F6' }, 'vendors', 'Tag at most 5 vendors.'],
    ['a vendor name of punctuation only', { vendors: '...' }, 'vendors', 'is not a vendor name'],
    [
      'a vendor name over 60 characters',
      { vendors: 'v'.repeat(61) },
      'vendors',
      'at most 60 characters',
    ],
    ['no sentiment', { sentiment: '' }, 'sentiment', 'Say how it went overall'],
    ['a made-up sentiment', { sentiment: 'great' }, 'sentiment', 'Say how it went overall'],
    [
      'an overlong tier',
      { tier: 't'.repeat(41) },
      'tier',
      'Keep the partner tier to 40 characters.',
    ],
    ['a bad area rating', { area_mdf: 'meh' }, 'area_mdf', 'Rate an area good or bad'],
  ])(
    'refuses %s with 400, the message beside the field and all input kept',
    async (_case, change, field, message) => {
      const form: Record<string, string> = {
        title: 'A fine title here',
        body: 'Body text that must survive',
        vendors: 'Kept Vendor',
        sentiment: 'good',
        tier: 'Silver',
        area_presales: 'good',
        anonymous: 'on',
        action: 'post',
        ...change,
      };
      await alice.get('/threads/new');
      const response = await alice.post('/threads', form);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(message);
      if (field.startsWith('area_')) expect(response.body).toContain('class="area-row has-error"');
      else expect(response.body).toContain(`id="${field}-error"`);
      if (field !== 'body')
        expect(response.body).toContain('Body text that must survive</textarea>');
      if (field !== 'vendors') expect(response.body).toContain('value="Kept Vendor"');
      expect(response.body).toMatch(/name="area_presales" value="good" checked/);
      expect(response.body).toMatch(/name="anonymous" value="on" checked/);
      if (field !== 'sentiment')
        expect(response.body).toMatch(/name="sentiment" value="good" checked/);
    },
  );

  it('previews the rendered story without posting it, keeping the input', async () => {
    const before = await t.app.db.selectFrom('threads').select('id').execute();
    await alice.get('/threads/new');
    const response = await alice.post('/threads', {
      title: 'Preview of a story',
      body: 'Some **bold** claim',
      vendors: 'Preview Vendor',
      sentiment: 'good',
      action: 'preview',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h2 id="preview-heading">Preview</h2>');
    expect(response.body).toContain('<strong>bold</strong>');
    expect(response.body).toContain('Some **bold** claim</textarea>');
    const after = await t.app.db.selectFrom('threads').select('id').execute();
    expect(after.length).toBe(before.length);
    expect(await findVendorBySlug(t.app.db, 'preview-vendor')).toBeUndefined();
  });

  it('makes one story of a double submit', async () => {
    const fields = {
      title: 'Double click story',
      body: 'Clicked twice',
      vendors: 'Twice Inc',
      sentiment: 'bad',
      action: 'post',
    };
    await alice.get('/threads/new');
    const [first, second] = await Promise.all([
      alice.post('/threads', fields),
      alice.post('/threads', fields),
    ]);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const rows = await t.app.db
      .selectFrom('threads')
      .select('id')
      .where('title', '=', 'Double click story')
      .execute();
    expect(rows).toHaveLength(1);
    const vendor = await findVendorBySlug(t.app.db, 'twice-inc');
    expect(vendor?.story_count).toBe(1);

    // Another member may post the same words.
    await bob.get('/threads/new');
    const other = await bob.post('/threads', fields);
    expect(other.headers.location).not.toBe(first.headers.location);
  });
});

describe('vendors', () => {
  it('are one vendor whatever the case, spaces and punctuation', async () => {
    await postStory(alice, { vendors: 'Dell' });
    await postStory(bob, { vendors: ' DELL ' });
    await postStory(alice, { vendors: 'dell.', title: 'Third story about Dell' });
    const vendor = await findVendorBySlug(t.app.db, 'dell');
    expect(vendor?.name).toBe('Dell');
    expect(vendor?.story_count).toBe(3);
    const all = await t.app.db
      .selectFrom('vendors')
      .select('slug')
      .where('slug', 'like', 'dell%')
      .execute();
    expect(all).toEqual([{ slug: 'dell' }]);
  });

  it('match aliases: a story tagged "HPE" lands on Hewlett Packard Enterprise', async () => {
    await postStory(alice, { vendors: 'Hewlett Packard Enterprise' });
    const hpe = (await findVendorBySlug(t.app.db, 'hewlett-packard-enterprise'))!;
    await addVendorAlias(t.app.db, hpe.id, 'HPE');
    const id = await postStory(bob, { vendors: 'hpe', title: 'Tagged by its alias' });
    const page = await bob.get(`/threads/${id}`);
    expect(page.body).toContain(
      'href="/vendors/hewlett-packard-enterprise">Hewlett Packard Enterprise</a>',
    );
    const vendorPage = await bob.get('/vendors/hewlett-packard-enterprise');
    expect(vendorPage.body).toContain('Also known as HPE');
    expect(vendorPage.body).toContain('Tagged by its alias');
    expect((await findVendorBySlug(t.app.db, 'hewlett-packard-enterprise'))?.story_count).toBe(2);
  });

  it('get distinct slugs when names differ but slugify alike', async () => {
    await postStory(alice, { vendors: 'Ümlaut Systems' });
    await postStory(alice, { vendors: 'Umlaut-Systems AG' });
    const rows = await t.app.db
      .selectFrom('vendors')
      .select(['name', 'slug'])
      .where('slug', 'like', 'umlaut%')
      .orderBy('id')
      .execute();
    expect(rows.map((row) => row.slug)).toEqual(['umlaut-systems', 'umlaut-systems-ag']);
  });

  it('are listed with story counts, filtered by name, on /vendors', async () => {
    const all = await new TestClient(t.app).get('/vendors');
    expect(all.statusCode).toBe(200);
    expect(text(all.body)).toMatch(/Dell (not enough stories yet|\d+ \/ 100[^0-9]+\d+ stories) 3 /);
    const filtered = await new TestClient(t.app).get('/vendors?q=hewl');
    expect(filtered.body).toContain('Hewlett Packard Enterprise');
    expect(filtered.body).not.toContain('>Dell<');
    const none = await new TestClient(t.app).get('/vendors?q=zzz%25');
    expect(none.body).toContain('No vendor');
  });

  it('have a page listing their stories, newest first; unknown slugs are 404', async () => {
    const page = await new TestClient(t.app).get('/vendors/dell');
    expect(page.statusCode).toBe(200);
    const third = page.body.indexOf('Third story about Dell');
    expect(third).toBeGreaterThan(0);
    expect(page.body.indexOf('No call back on a big deal')).toBeGreaterThan(third);
    expect(page.body).toContain('href="/threads/new?vendor=dell"');
    expect((await new TestClient(t.app).get('/vendors/no-such-vendor')).statusCode).toBe(404);
  });
});

describe('the thread page', () => {
  it('redirects an old or wrong slug to the current one, and 404s unknown ids', async () => {
    const id = await postStory(alice, { title: 'Slug test story' });
    const wrong = await alice.get(`/threads/${id}/old-title`);
    expect(wrong.statusCode).toBe(301);
    expect(wrong.headers.location).toBe(`/threads/${id}/slug-test-story`);
    expect((await alice.get(`/threads/${id}/slug-test-story`)).statusCode).toBe(200);
    for (const bad of ['/threads/999999', '/threads/abc', '/threads/0', '/threads/99999999999']) {
      expect((await alice.get(bad)).statusCode).toBe(404);
    }
  });

  it('takes replies from members, flat and in order, 50 a page', async () => {
    const id = await postStory(alice, { title: 'Busy thread story' });
    const thread = await t.app.db
      .selectFrom('threads')
      .select('reply_count')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(thread.reply_count).toBe(0);
    // Replies beyond the first are written through the service for speed.
    const { createReply } = await import('../server/threads/replies.js');
    const bobMember = { id: 2, username: 'bob', role: 'member' as const, suspended_until: null };
    for (let i = 1; i <= 51; i++) {
      await createReply(t.app.db, t.app.anonymity, bobMember, id, {
        body: `Reply number ${i}.`,
        anonymous: false,
      });
    }
    const first = await alice.get(`/threads/${id}`);
    expect(first.body).toContain('51 replies');
    expect(first.body).toContain('Reply number 1.');
    expect(first.body).toContain('Reply number 50.');
    expect(first.body).not.toContain('Reply number 51.');
    expect(first.body.indexOf('Reply number 2.')).toBeGreaterThan(
      first.body.indexOf('Reply number 1.'),
    );
    expect(first.body).toContain(`href="/threads/${id}/busy-thread-story?page=2"`);
    const second = await alice.get(`/threads/${id}/busy-thread-story?page=2`);
    expect(second.body).toContain('Reply number 51.');
    expect(second.body).not.toContain('Reply number 50.');
    expect((await alice.get(`/threads/${id}?page=3`)).statusCode).toBe(404);
    expect((await alice.get(`/threads/${id}?page=zero`)).statusCode).toBe(400);

    const replyId = await postReply(alice, id, 'The 52nd reply');
    const last = await alice.get(`/threads/${id}?page=2`);
    expect(last.body).toContain(`id="reply-${replyId}"`);
  });

  it('refuses an empty reply with 400 and a message, keeping the anonymous choice', async () => {
    const id = await postStory(alice, { title: 'Reply validation story' });
    await bob.get(`/threads/${id}`);
    const response = await bob.post(`/threads/${id}/replies`, { body: '   ', anonymous: 'on' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Write your reply');
    expect(response.body).toMatch(/id="reply-anonymous" name="anonymous" value="on" checked/);
  });

  it('asks visitors to log in instead of showing the reply form; a visitor POST goes to login', async () => {
    const id = await postStory(alice, { title: 'Visitor view story' });
    const visitor = new TestClient(t.app);
    const page = await visitor.get(`/threads/${id}`);
    expect(page.body).not.toContain('class="reply-form"');
    expect(page.body).toContain('to reply.');
    const post = await visitor.post(`/threads/${id}/replies`, { body: 'hi' });
    expect(post.statusCode).toBe(403); // no CSRF cookie: a visitor never got a form
    const rows = await t.app.db
      .selectFrom('replies')
      .select('id')
      .where('thread_id', '=', id)
      .execute();
    expect(rows).toHaveLength(0);
  });
});

describe('the front page', () => {
  it('lists stories newest first with vendors, sentiment, reply count and age, 20 a page', async () => {
    const fresh = await createTestApp();
    try {
      const member = new TestClient(fresh.app);
      await registerMember(member, 'lister');
      const empty = await new TestClient(fresh.app).get('/');
      expect(empty.body).toContain('No stories yet — be the first');
      const ids = [];
      for (let i = 1; i <= 21; i++)
        ids.push(
          await postStory(member, { title: `Front page story ${i}`, vendors: `Vendor ${i % 3}` }),
        );
      await postReply(member, ids[20]!, 'one reply');
      const page1 = await new TestClient(fresh.app).get('/');
      expect(page1.body).not.toContain('No stories yet');
      expect(page1.body).toContain('Front page story 21');
      expect(page1.body).toContain('Front page story 2<');
      expect(page1.body).not.toContain('Front page story 1<');
      expect(page1.body.indexOf('Front page story 21')).toBeLessThan(
        page1.body.indexOf('Front page story 20'),
      );
      expect(text(page1.body)).toContain('1 reply');
      expect(page1.body).toContain('href="/vendors/vendor-0">Vendor 0</a>');
      expect(page1.body).toContain('sentiment-bad');
      expect(page1.body).toContain('just now');
      const page2 = await new TestClient(fresh.app).get('/?sort=new&page=2');
      expect(page2.body).toContain('Front page story 1<');
      expect((await new TestClient(fresh.app).get('/?page=3')).statusCode).toBe(404);
      expect((await new TestClient(fresh.app).get('/?sort=sideways')).statusCode).toBe(400);
    } finally {
      await fresh.close();
    }
  });
});

describe('editing and deleting', () => {
  it('keeps every earlier version as a revision and marks the story edited', async () => {
    const id = await postStory(alice, {
      title: 'Original title here',
      body: 'Version one',
      area_mdf: 'good',
    });
    const form = await alice.get(`/threads/${id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('value="Original title here"');
    expect(form.body).toContain('Version one</textarea>');
    expect(form.body).toMatch(/name="area_mdf" value="good" checked/);
    for (const version of ['Version two', 'Version three']) {
      const response = await alice.post(`/threads/${id}/edit`, {
        title: 'Edited title here',
        body: version,
        sentiment: 'good',
        action: 'post',
      });
      expect(response.statusCode).toBe(303);
    }
    const page = await alice.get(`/threads/${id}/edited-title-here`);
    expect(page.body).toContain('Version three');
    expect(page.body).toContain('<span class="edited">edited</span>');
    expect(text(page.body)).not.toContain('Marketing funds: good');
    const revisions = await t.app.db
      .selectFrom('revisions')
      .select(['title', 'body_source'])
      .where('thread_id', '=', id)
      .orderBy('id')
      .execute();
    expect(revisions).toEqual([
      { title: 'Original title here', body_source: 'Version one' },
      { title: 'Edited title here', body_source: 'Version two' },
    ]);
  });

  it('re-renders an invalid edit with 400 and the input kept', async () => {
    const id = await postStory(alice, { title: 'Edit validation story' });
    await alice.get(`/threads/${id}/edit`);
    const response = await alice.post(`/threads/${id}/edit`, {
      title: 'ok',
      body: 'New body kept',
      sentiment: 'bad',
      action: 'post',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('New body kept</textarea>');
    expect(response.body).toContain('id="title-error"');
  });

  it('edits a reply with a revision', async () => {
    const id = await postStory(alice, { title: 'Reply edit story' });
    const replyId = await postReply(bob, id, 'First words');
    await bob.get(`/replies/${replyId}/edit`);
    const response = await bob.post(`/replies/${replyId}/edit`, { body: 'Second words' });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/threads/${id}#reply-${replyId}`);
    const page = await bob.get(`/threads/${id}`);
    expect(page.body).toContain('Second words');
    expect(page.body).not.toContain('First words');
    const revisions = await t.app.db
      .selectFrom('revisions')
      .select('body_source')
      .where('reply_id', '=', replyId)
      .execute();
    expect(revisions).toEqual([{ body_source: 'First words' }]);
  });

  it('deletes a story: it shows "[deleted by its author]", its replies stay, its vendor count drops', async () => {
    const id = await postStory(alice, {
      title: 'Story to delete',
      vendors: 'Delete Corp',
      body: 'secret details',
    });
    await postReply(bob, id, 'A reply that stays');
    const confirm = await alice.get(`/threads/${id}/delete`);
    expect(confirm.statusCode).toBe(200);
    const response = await alice.post(`/threads/${id}/delete`);
    expect(response.statusCode).toBe(303);
    const page = await new TestClient(t.app).get(`/threads/${id}`);
    expect(page.body).toContain('[deleted by its author]');
    expect(page.body).not.toContain('secret details');
    expect(page.body).not.toContain('Story to delete');
    expect(page.body).toContain('A reply that stays');
    expect((await findVendorBySlug(t.app.db, 'delete-corp'))?.story_count).toBe(0);
    expect((await new TestClient(t.app).get('/')).body).not.toContain('Story to delete');
    // Nor in its address: no link, redirect or stored slug keeps the deleted title's words.
    expect(page.body).not.toMatch(/story-to-delete/);
    const old = await new TestClient(t.app).get(`/threads/${id}/story-to-delete`);
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe(`/threads/${id}/deleted`);
    const row = await t.app.db
      .selectFrom('threads')
      .select('slug')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.slug).toBe('deleted');
    expect((await alice.get(`/threads/${id}/edit`)).statusCode).toBe(404);
    await bob.get(`/threads/${id}`);
    expect((await bob.post(`/threads/${id}/replies`, { body: 'too late' })).statusCode).toBe(409);
  });

  it('deletes a reply, leaving a marker', async () => {
    const id = await postStory(alice, { title: 'Reply delete story' });
    const replyId = await postReply(bob, id, 'Words to remove');
    await bob.get(`/replies/${replyId}/delete`);
    expect((await bob.post(`/replies/${replyId}/delete`)).statusCode).toBe(303);
    const page = await alice.get(`/threads/${id}`);
    expect(page.body).not.toContain('Words to remove');
    expect(page.body).toContain('[deleted by its author]');
  });

  it('answers 403 to anyone changing a post that is not theirs, and changes nothing', async () => {
    const id = await postStory(alice, { title: 'Not yours story', body: 'original' });
    const replyId = await postReply(alice, id, 'original reply');
    await bob.get(`/threads/${id}`);
    const attempts = [
      await bob.get(`/threads/${id}/edit`),
      await bob.post(`/threads/${id}/edit`, {
        title: 'Hijacked title',
        body: 'hijacked',
        sentiment: 'good',
        action: 'post',
      }),
      await bob.get(`/threads/${id}/delete`),
      await bob.post(`/threads/${id}/delete`),
      await bob.get(`/replies/${replyId}/edit`),
      await bob.post(`/replies/${replyId}/edit`, { body: 'hijacked' }),
      await bob.post(`/replies/${replyId}/delete`),
    ];
    for (const attempt of attempts) {
      expect(attempt.statusCode).toBe(403);
      expect(attempt.body).toContain('You can only change your own posts.');
    }
    const page = await alice.get(`/threads/${id}`);
    expect(page.body).toContain('original reply');
    expect(page.body).toContain('Not yours story');
    const visitor = await new TestClient(t.app).get(`/threads/${id}/edit`);
    expect(visitor.statusCode).toBe(303);
  });
});

describe('profiles', () => {
  it('show a member under their name with counts', async () => {
    const page = await new TestClient(t.app).get('/users/ALICE');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>alice</h1>');
    expect(page.body).toMatch(/<dt>Stories<\/dt><dd>\d+<\/dd>/);
    expect((await new TestClient(t.app).get('/users/nobody-at-all')).statusCode).toBe(404);
  });
});
