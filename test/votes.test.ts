import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { hotRank } from '../server/threads/ranking.js';

let t: TestApp;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  [alice, bob, carol] = [new TestClient(t.app), new TestClient(t.app), new TestClient(t.app)];
  await registerMember(alice, 'alice');
  await registerMember(bob, 'bob');
  await registerMember(carol, 'carol');
});
afterAll(async () => t.close());

const scoreOf = async (id: number) =>
  (
    await t.app.db
      .selectFrom('threads')
      .select('score')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).score;

async function vote(client: TestClient, path: string, value: string, json = false) {
  await client.get('/');
  return client.post(path, { value }, json ? { accept: 'application/json' } : {});
}

describe('votes', () => {
  it('one per member, changeable and retractable, shown on the story', async () => {
    const id = await postStory(alice, { title: 'Votable story' });
    expect((await vote(bob, `/threads/${id}/vote`, 'up')).statusCode).toBe(303);
    expect(await scoreOf(id)).toBe(1);
    await vote(bob, `/threads/${id}/vote`, 'up');
    expect(await scoreOf(id)).toBe(1);
    await vote(carol, `/threads/${id}/vote`, 'up');
    expect(await scoreOf(id)).toBe(2);
    await vote(bob, `/threads/${id}/vote`, 'down');
    expect(await scoreOf(id)).toBe(0);
    await vote(bob, `/threads/${id}/vote`, 'none');
    expect(await scoreOf(id)).toBe(1);
    const page = await bob.get(`/threads/${id}`);
    expect(page.body).toMatch(/data-vote-score>1<\/span>/);
    const carolsView = await carol.get(`/threads/${id}`);
    expect(carolsView.body).toContain(
      'value="none" class="vote-button vote-up" aria-pressed="true"',
    );
  });

  it('on replies too, and answers a script with JSON', async () => {
    const id = await postStory(alice, { title: 'Story with a votable reply' });
    const replyId = await postReply(alice, id, 'A reply to vote on');
    const response = await vote(bob, `/replies/${replyId}/vote`, 'down', true);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ score: -1, vote: -1 });
    const form = await vote(carol, `/replies/${replyId}/vote`, 'down');
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toBe(`/replies/${replyId}`);
    const page = await bob.get(`/threads/${id}`);
    expect(page.body).toMatch(
      new RegExp(`action="/replies/${replyId}/vote"[\\s\\S]*?data-vote-score>-2<`),
    );
  });

  it("refuse a vote on one's own post, anonymous ones included", async () => {
    const named = await postStory(alice, { title: 'Own named story' });
    const anonymous = await postStory(alice, { title: 'Own anonymous story', anonymous: true });
    const anonymousReply = await postReply(alice, named, 'own anonymous reply', true);
    for (const path of [
      `/threads/${named}/vote`,
      `/threads/${anonymous}/vote`,
      `/replies/${anonymousReply}/vote`,
    ]) {
      const response = await vote(alice, path, 'up');
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('You cannot vote on your own post.');
    }
    expect(await scoreOf(anonymous)).toBe(0);
    // The author sees no vote buttons on their own posts; others do.
    expect((await alice.get(`/threads/${anonymous}`)).body).not.toContain(
      `action="/threads/${anonymous}/vote"`,
    );
    expect((await bob.get(`/threads/${anonymous}`)).body).toContain(
      `action="/threads/${anonymous}/vote"`,
    );
  });

  it('need a member, a CSRF token and a known value and post', async () => {
    const id = await postStory(alice, { title: 'Guarded votes story' });
    const visitor = new TestClient(t.app);
    expect((await visitor.get(`/threads/${id}`)).body).not.toContain('vote-form');
    await bob.get('/');
    expect((await bob.post(`/threads/${id}/vote`, { _csrf: null, value: 'up' })).statusCode).toBe(
      403,
    );
    expect((await bob.post(`/threads/${id}/vote`, { value: 'sideways' })).statusCode).toBe(400);
    expect((await bob.post('/threads/999999/vote', { value: 'up' })).statusCode).toBe(404);
    expect(await scoreOf(id)).toBe(0);
  });

  it('are rate-limited', async () => {
    const limited = await createTestApp({ rateLimits: { login: 100, register: 100, writes: 3 } });
    try {
      const author = new TestClient(limited.app);
      const voter = new TestClient(limited.app);
      await registerMember(author, 'author');
      await registerMember(voter, 'voter');
      const id = await postStory(author);
      await voter.get('/');
      const statuses = [];
      for (const value of ['up', 'down', 'up', 'none'])
        statuses.push((await voter.post(`/threads/${id}/vote`, { value })).statusCode);
      expect(statuses).toEqual([303, 303, 303, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('ranking', () => {
  let fresh: TestApp;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    fresh = await createTestApp();
    const poster = new TestClient(fresh.app);
    await registerMember(poster, 'poster');
    // Crafted: an old story with many votes, a fresh one with a few, a fresh one with none,
    // and a two-month-old story with the most votes of all.
    const now = Date.now();
    const spec = [
      ['ancient-top', 100, 60 * 24 * 3600e3],
      ['old-popular', 40, 30 * 3600e3],
      ['fresh-some', 3, 1 * 3600e3],
      ['fresh-none', 0, 0.5 * 3600e3],
    ] as const;
    for (const [name, score, age] of spec) {
      ids[name] = await postStory(poster, { title: `Ranked story ${name}` });
      const postedAt = new Date(now - age);
      // Posting times are never written by the app after the fact; the test back-dates them.
      await sql`update threads set score = ${score}, created_at = ${postedAt},
                hot_rank = ${hotRank(score, postedAt)} where id = ${ids[name]!}`.execute(
        fresh.app.db,
      );
    }
  });
  afterAll(async () => fresh.close());

  const order = async (url: string) => {
    const body = (await new TestClient(fresh.app).get(url)).body;
    return [...body.matchAll(/Ranked story ([a-z-]+)/g)].map((m) => m[1]);
  };

  it('hot (the default) weighs votes against age', async () => {
    // Each 12.5 h of age costs a factor of ten in score. 3 votes an hour ago (0.48 − 0.08)
    // beat none half an hour ago (0 − 0.04), which beats 40 votes 30 hours ago (1.60 − 2.40).
    expect(await order('/')).toEqual(['fresh-some', 'fresh-none', 'old-popular', 'ancient-top']);
    expect(await order('/?sort=hot')).toEqual(await order('/'));
  });

  it('new is newest first; top is by score within the period', async () => {
    expect(await order('/?sort=new')).toEqual([
      'fresh-none',
      'fresh-some',
      'old-popular',
      'ancient-top',
    ]);
    expect(await order('/?sort=top')).toEqual([
      'ancient-top',
      'old-popular',
      'fresh-some',
      'fresh-none',
    ]);
    expect(await order('/?sort=top&t=week')).toEqual(['old-popular', 'fresh-some', 'fresh-none']);
    expect(await order('/?sort=top&t=year')).toEqual([
      'ancient-top',
      'old-popular',
      'fresh-some',
      'fresh-none',
    ]);
    expect((await new TestClient(fresh.app).get('/?sort=top&t=decade')).statusCode).toBe(400);
  });

  it('keeps the order across pages in the pagination links', async () => {
    const page = await new TestClient(fresh.app).get('/?sort=top&t=week');
    expect(page.body).toContain('aria-current="true">Week</a>');
    expect(page.body).toContain('href="/?sort=top&amp;t=month"');
  });

  it('is the hot formula the README states', () => {
    const t0 = new Date('2026-06-01T00:00:00Z');
    // Ten times the score equals 45,000 s (12.5 h) of youth.
    expect(hotRank(10, t0)).toBeCloseTo(hotRank(1, new Date(t0.getTime() + 45000e3)), 9);
    expect(hotRank(-10, t0)).toBeLessThan(hotRank(0, t0));
  });
});

describe('Atom feeds', () => {
  it('/feed.atom lists the newest stories, anonymous authors as "Anonymous provider"', async () => {
    await postStory(alice, {
      title: 'Feed story & <friends>',
      vendors: 'Feed Vendor',
      body: 'Some *feed* text',
    });
    await postStory(bob, {
      title: 'Anonymous feed story',
      vendors: 'Feed Vendor',
      anonymous: true,
    });
    const response = await new TestClient(t.app).get('/feed.atom');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/atom+xml');
    const feed = new XMLParser({ ignoreAttributes: false }).parse(response.body).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBeTruthy();
    expect(new Date(feed.updated).toString()).not.toBe('Invalid Date');
    const entries = [feed.entry].flat();
    const titles = entries.map((entry: { title: string }) => entry.title);
    expect(titles).toContain('Feed story & <friends>'); // escaped in the XML, decoded by the parser
    expect(response.body).toContain('<title>Feed story &amp; &lt;friends&gt;</title>');
    const anonymousEntry = entries.find(
      (entry: { title: string }) => entry.title === 'Anonymous feed story',
    );
    expect(anonymousEntry.author.name).toBe('Anonymous provider');
    expect(response.body).not.toContain('>bob<');
    for (const entry of entries) {
      expect(entry.id).toMatch(/^http:\/\/localhost(:80)?\/threads\/\d+$/);
      expect(entry.link['@_href']).toMatch(/\/threads\/\d+\/[a-z0-9-]+$/);
      expect(new Date(entry.updated).toString()).not.toBe('Invalid Date');
    }
  });

  it('per vendor, linked from the page head', async () => {
    const response = await new TestClient(t.app).get('/vendors/feed-vendor/feed.atom');
    const feed = new XMLParser().parse(response.body).feed;
    expect([feed.entry].flat()).toHaveLength(2);
    const page = await new TestClient(t.app).get('/vendors/feed-vendor');
    expect(page.body).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Feed Vendor: newest stories" href="/vendors/feed-vendor/feed.atom">',
    );
    expect((await new TestClient(t.app).get('/vendors/none-such/feed.atom')).statusCode).toBe(404);
  });
});
