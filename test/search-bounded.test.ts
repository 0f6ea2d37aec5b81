import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesOf, WINDOW } from '../server/search/matches.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';

// Issue 12: a search reads the newest WINDOW posts of each kind, then further back through the
// GIN index or by walking on. Whichever path a word takes, what it finds must not change: old
// posts are found, hidden and deleted ones are not, the filters hold, and a word matching more
// posts than the search ranks says so.
let t: TestApp;
let visitor: TestClient;
const OLDER = 1000;

const hits = async (query: string) => {
  const page = await visitor.get(`/search?${query}`);
  expect(page.statusCode).toBe(200);
  return {
    body: page.body,
    titles: [...page.body.matchAll(/<h3 class="thread-title"><a href="([^"]+)">([^<]+)<\/a>/g)].map(
      (m) => ({ href: m[1]!, title: m[2]! }),
    ),
  };
};

beforeAll(async () => {
  t = await createTestApp();
  visitor = new TestClient(t.app);
  const writer = new TestClient(t.app);
  await registerMember(writer, 'bounded-searcher');
  const author = sql`(select id from users where username = 'bounded-searcher')`;
  // OLDER + WINDOW stories, oldest first: a few old ones hold rare words, one in five holds
  // "wombat" (more than the 200 a search ranks), one in twenty "dingo" (fewer than 200 in the
  // window: the search looks further back), and an old reply of story 1 a rare word.
  await sql`
    insert into threads (title, slug, body_source, body_html, sentiment, author_id, deleted_at, hidden_at)
    select 'Story ' || i, 'story-' || i,
           case when i in (3, 4, 5) then 'quokka sighting, story ' || i
                when i % 20 = 0 then 'wombat and dingo, story ' || i
                when i % 5 = 0 then 'wombat burrow, story ' || i
                else 'routine filler, story ' || i end,
           '<p>story</p>', case when i = 4 then 'good' else 'bad' end, ${author},
           case when i = 5 then now() end, null
    from generate_series(1, ${OLDER + WINDOW}) i`.execute(t.app.db);
  await sql`
    insert into replies (thread_id, body_source, body_html, author_id)
    select 1, case when i = 7 then 'platypus reply ' || i else 'routine filler reply ' || i end,
           '<p>reply</p>', ${author}
    from generate_series(1, ${OLDER + WINDOW}) i`.execute(t.app.db);
  await sql`update threads set hidden_at = now(), hidden_reason = 'spam' where id = 3`.execute(
    t.app.db,
  );
});
afterAll(async () => t?.close());

describe('search over more posts than its window', () => {
  it('finds a rare word in a story far older than the window, and not in a hidden or deleted one', async () => {
    const { body, titles } = await hits('q=quokka');
    expect(titles.map((hit) => hit.title)).toEqual(['Story 4']);
    expect(body).toContain('1 match');
  });

  it('finds a rare word in an old reply, linking to the reply', async () => {
    const { titles } = await hits('q=platypus');
    expect(titles).toHaveLength(1);
    expect(titles[0]!.href).toMatch(/^\/replies\/7$/);
  });

  it('keeps the filters on posts older than the window', async () => {
    expect((await hits('q=quokka&sentiment=bad')).titles).toEqual([]);
    expect((await hits('q=quokka&sentiment=good')).titles.map((hit) => hit.title)).toEqual([
      'Story 4',
    ]);
  });

  it('ranks the newest 200 matches of a common word and says there are more', async () => {
    const { body, titles } = await hits('q=wombat');
    expect(body).toContain('More than 200 matches');
    // Equal ranks: newest first, so the first page starts at the newest story holding the word.
    const newest = OLDER + WINDOW - ((OLDER + WINDOW) % 5);
    expect(titles[0]!.title).toBe(`Story ${newest}`);
    expect(titles).toHaveLength(20);
    const last = await hits('q=wombat&page=10');
    // The 200th newest match: past the window (WINDOW / 5 = 400 of them are inside it) or not,
    // the order is the same.
    expect(last.titles.at(-1)!.title).toBe(`Story ${newest - 5 * 199}`);
  });

  it('finds every match of a word that has fewer than 200 matches in the window, older ones included', async () => {
    const { body, titles } = await hits('q=dingo');
    expect(body).toContain('150 matches');
    expect(titles[0]!.title).toBe(`Story ${OLDER + WINDOW}`);
    const last = await hits('q=dingo&page=8');
    expect(last.titles.map((hit) => hit.title)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Story ${200 - 20 * i}`),
    );
  });

  // "dingo" in a table ten million posts deep: the word's share of the window (1 in 20) makes
  // walking on cheaper than reading every match from the index.
  const dingoWalk = (walkReach?: number) =>
    t.app.db.transaction().execute((trx) =>
      matchesOf(
        trx,
        { words: 'dingo', offset: 0, limit: 20 },
        sql`to_tsquery('english', 'dingo')`,
        {
          floor: { thread: OLDER + 1, reply: OLDER + 1 },
          older: { thread: 10_000_000, reply: 10_000_000 },
          walkReach,
        },
      ),
    );
  const everyDingo = Array.from({ length: 150 }, (_, i) => OLDER + WINDOW - 20 * i);
  const newestFirst = (found: { post_id: number }[]) =>
    found.map((match) => match.post_id).sort((a, b) => b - a);

  it('finds the same older matches when it walks on instead of asking the index', async () => {
    expect(newestFirst(await dingoWalk())).toEqual(everyDingo);
  });

  it('finds the same older matches when the walk stops at its reach and the index takes over', async () => {
    // The walk may read only 500 posts below the window: a word frequent among the newest posts
    // and rare before them would otherwise walk every older post.
    expect(newestFirst(await dingoWalk(500))).toEqual(everyDingo);
  });

  it('finds nothing, quickly said, for a word no post holds', async () => {
    const { body, titles } = await hits('q=axolotl');
    expect(titles).toEqual([]);
    expect(body).toContain('Nothing matches');
  });
});
