import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { hashPassword } from '../server/accounts/passwords.js';
import { updateRole } from '../server/accounts/queries.js';

// The anonymous author has a marker name and an id that cannot be mistaken for anything else.
const MARKER = 'zq-marker-7731';
const MARKER_ID = 987654;
const PASSWORD = 'correct horse battery';

let t: TestApp;
let author: TestClient;
let other: TestClient;
let moderator: TestClient;
let visitor: TestClient;
const anonymousThreads: number[] = [];
const anonymousReplies: number[] = [];
let publicThread: number;

beforeAll(async () => {
  t = await createTestApp();
  await sql`insert into users (id, username, password_hash) overriding system value
            values (${MARKER_ID}, ${MARKER}, ${await hashPassword(PASSWORD)})`.execute(t.app.db);
  author = new TestClient(t.app);
  await author.submit('/login', '/login', { username: MARKER, password: PASSWORD });
  other = new TestClient(t.app);
  await registerMember(other, 'other-member');
  moderator = new TestClient(t.app);
  await registerMember(moderator, 'the-moderator');
  await updateRole(t.app.db, 'the-moderator', 'moderator');
  visitor = new TestClient(t.app);

  publicThread = await postStory(other, {
    title: 'A public story by other',
    vendors: 'Shared Vendor',
    tier: 'Gold',
  });
  anonymousThreads.push(
    await postStory(author, {
      title: 'Anonymous story one',
      vendors: 'Shared Vendor',
      anonymous: true,
      tier: 'Gold',
      area_discounts: 'bad',
    }),
  );
  anonymousThreads.push(
    await postStory(author, {
      title: 'Anonymous story two',
      vendors: 'Other Vendor',
      anonymous: true,
    }),
  );
  anonymousReplies.push(
    await postReply(author, publicThread, 'An anonymous reply on a public story', true),
  );
  anonymousReplies.push(
    await postReply(
      author,
      anonymousThreads[0]!,
      'The anonymous author answers in their own thread',
      true,
    ),
  );
  // Reports put the anonymous posts in the moderators' queue.
  for (const path of [`/threads/${anonymousThreads[0]}`, `/replies/${anonymousReplies[0]}`]) {
    await other.get(`${path}/report`);
    await other.post(`${path}/report`, { reason: 'other', note: 'please look' });
  }
  // Edits leave revisions; they must not link either.
  await author.get(`/threads/${anonymousThreads[1]}/edit`);
  await author.post(`/threads/${anonymousThreads[1]}/edit`, {
    title: 'Anonymous story two, edited',
    body: 'edited body',
    sentiment: 'bad',
    action: 'post',
  });
});
afterAll(async () => t.close());

type Audience = 'a visitor' | 'another member' | 'a moderator';

/**
 * Every page the crawl reads, with text it must show and who may read it: each is checked for
 * status 200 and that text, so a 404, a login redirect or an empty page cannot pass.
 */
function pagesToCheck(): [url: string, mustShow: string, readers: readonly Audience[]][] {
  const everyone = ['a visitor', 'another member', 'a moderator'] as const;
  const members = ['another member', 'a moderator'] as const;
  const moderators = ['a moderator'] as const;
  return [
    ['/', 'A public story by other', everyone],
    ['/?page=1', 'A public story by other', everyone],
    ['/vendors', 'Shared Vendor', everyone],
    ['/vendors/shared-vendor', 'Anonymous story one', everyone],
    ['/vendors/other-vendor', 'Anonymous story two', everyone],
    [`/threads/${publicThread}`, 'An anonymous reply on a public story', everyone],
    [`/threads/${anonymousThreads[0]}`, 'Anonymous story one', everyone],
    [`/threads/${anonymousThreads[1]}`, 'Anonymous story two, edited', everyone],
    [`/threads/${anonymousThreads[0]}/report`, 'Report this story', members],
    ['/users/other-member', 'other-member', everyone],
    [`/users/${MARKER}`, MARKER, everyone],
    ['/feed.atom', 'Anonymous story one', everyone],
    ['/vendors/shared-vendor/feed.atom', 'Anonymous story one', everyone],
    ['/search?q=anonymous', 'Anonymous provider', everyone],
    ['/search?q=story', 'Anonymous story one', everyone],
    ['/search?vendor=shared-vendor', 'Anonymous story one', everyone],
    ['/mod', 'Anonymous provider', moderators],
    ['/mod/log', 'Moderation log', moderators],
  ];
}

describe('anonymous posts', () => {
  it.each([
    ['a visitor', () => visitor, 15],
    ['another member', () => other, 16],
    ['a moderator', () => moderator, 18],
  ] as const)(
    'never show the author to %s, in any body or header',
    async (who, client, expectedPages) => {
      let visited = 0;
      for (const [url, mustShow, readers] of pagesToCheck()) {
        if (!readers.includes(who)) continue;
        const response = await client().get(url);
        visited++;
        expect(response.statusCode, url).toBe(200);
        expect(response.body, url).toContain(mustShow);
        const everything = JSON.stringify(response.headers) + response.body;
        const onProfile = url === `/users/${MARKER}`;
        if (!onProfile) expect(everything, url).not.toContain(MARKER);
        expect(everything, url).not.toContain(String(MARKER_ID));
        if (onProfile) {
          // The author's own profile exists, but shows none of the anonymous posts.
          expect(response.body).not.toContain('Anonymous story');
          expect(response.body).toMatch(/<dt>Stories<\/dt><dd>0<\/dd>/);
          expect(response.body).toMatch(/<dt>Replies<\/dt><dd>0<\/dd>/);
        } else {
          expect(response.body, url).not.toContain(`/users/${MARKER}`);
        }
      }
      expect(visited).toBe(expectedPages);
    },
  );

  it('show "Anonymous provider" with a pseudonym, and their time only to the hour', async () => {
    const page = await visitor.get(`/threads/${anonymousThreads[0]}`);
    expect(page.body).toMatch(
      /Anonymous provider · [A-Z2-9]{4}<\/span> · <time datetime="[^"]+T\d\d:00:00\.000Z" title="[^"]+ \d\d:00 UTC">(within the hour|\d+ (hours?|days?|months?|years?) ago)<\/time>/,
    );
    // Words that would tell more than the hour never appear for an anonymous post.
    expect(page.body).not.toMatch(/author-anonymous[^\n]*(just now|minutes? ago)/);
    const rows = await t.app.db
      .selectFrom('threads')
      .select('created_at')
      .where('anonymous', '=', true)
      .execute();
    for (const row of rows)
      expect(row.created_at.getUTCMinutes() * 60 + row.created_at.getUTCSeconds()).toBe(0);
  });

  it('share one pseudonym within a thread, and differ across threads', async () => {
    const own = await visitor.get(`/threads/${anonymousThreads[0]}`);
    const pseudonyms = [...own.body.matchAll(/Anonymous provider · ([A-Z2-9]{4})/g)].map(
      (m) => m[1],
    );
    expect(pseudonyms).toHaveLength(2); // the story and the author's reply in it
    expect(pseudonyms[0]).toBe(pseudonyms[1]);

    const elsewhere = await visitor.get(`/threads/${publicThread}`);
    const second = /Anonymous provider · ([A-Z2-9]{4})/.exec(elsewhere.body)![1];
    const third = /Anonymous provider · ([A-Z2-9]{4})/.exec(
      (await visitor.get(`/threads/${anonymousThreads[1]}`)).body,
    )![1];
    expect(new Set([pseudonyms[0], second, third]).size).toBe(3);
  });

  it('of two members render alike but for pseudonym and text', async () => {
    const threadId = await postStory(other, { title: 'Two anonymous repliers' });
    const first = await postReply(author, threadId, 'First anonymous words', true);
    const second = await postReply(other, threadId, 'Second anonymous words', true);
    const page = await moderator.get(`/threads/${threadId}`);
    const block = (id: number) =>
      new RegExp(`<li class="reply" id="reply-${id}">[\\s\\S]*?</li>`)
        .exec(page.body)![0]
        .replace(/reply-\d+/g, 'reply-N')
        .replace(/\/replies\/\d+(?=[/"])/g, '/replies/N')
        .replace(/reply-\d+/g, 'reply-N')
        .replace(/Anonymous provider · [A-Z2-9]{4}/, 'Anonymous provider · XXXX')
        .replace(/(First|Second) anonymous words/, 'TEXT');
    expect(block(first)).toBe(block(second));
    expect(block(first)).not.toContain('Edit');
  });

  it("are listed, marked anonymous, on the author's own account page only", async () => {
    const own = await author.get('/account');
    expect(own.body).toContain('anonymous story</span> <a href="/threads/');
    expect(own.body).toContain('Anonymous story one');
    expect(own.body).toContain('Anonymous story two, edited');
    expect(own.body).toContain('anonymous reply</span> <a href="/replies/' + anonymousReplies[0]);
    expect(own.body).toContain('anonymous reply</span> <a href="/replies/' + anonymousReplies[1]);
    const others = await moderator.get('/account');
    expect(others.body).not.toContain('Anonymous story one');
    expect(others.body).toContain('You have not posted anonymously.');
  });

  it('let their author edit and delete them, and nobody else', async () => {
    const id = await postStory(author, { title: 'Anonymous and editable', anonymous: true });
    expect((await author.get(`/threads/${id}/edit`)).statusCode).toBe(200);
    expect((await other.get(`/threads/${id}/edit`)).statusCode).toBe(403);
    expect((await moderator.get(`/threads/${id}/edit`)).statusCode).toBe(403);
    await author.get(`/threads/${id}/delete`);
    expect((await author.post(`/threads/${id}/delete`)).statusCode).toBe(303);
  });

  it("answer an edit or delete of someone else's anonymous post exactly as of any post not yours", async () => {
    const named = await postStory(author, { title: 'A named story by the marker' });
    const namedReply = await postReply(author, named, 'a named reply');
    const anonymousThread = anonymousThreads[0]!;
    const anonymousReply = anonymousReplies[1]!;
    const normalize = (body: string) =>
      body.replace(/(name="_csrf" value=|name="csrf-token" content=)"[^"]+"/g, '$1"TOKEN"');
    await other.get('/');
    const pairs: Array<[string, string, Record<string, string> | null]> = [
      [`/threads/${anonymousThread}/edit`, `/threads/${named}/edit`, null],
      [
        `/threads/${anonymousThread}/edit`,
        `/threads/${named}/edit`,
        { title: 'Changed title', body: 'x', sentiment: 'good', action: 'post' },
      ],
      [`/threads/${anonymousThread}/delete`, `/threads/${named}/delete`, null],
      [`/threads/${anonymousThread}/delete`, `/threads/${named}/delete`, {}],
      [`/replies/${anonymousReply}/edit`, `/replies/${namedReply}/edit`, null],
      [`/replies/${anonymousReply}/edit`, `/replies/${namedReply}/edit`, { body: 'x' }],
      [`/replies/${anonymousReply}/delete`, `/replies/${namedReply}/delete`, {}],
    ];
    for (const [anonymousUrl, namedUrl, form] of pairs) {
      const a = form ? await other.post(anonymousUrl, form) : await other.get(anonymousUrl);
      const b = form ? await other.post(namedUrl, form) : await other.get(namedUrl);
      expect(a.statusCode).toBe(403);
      expect(b.statusCode).toBe(403);
      expect(normalize(a.body)).toBe(normalize(b.body));
      // The rate-limit countdown moves with every request, whoever wrote the post.
      const varying = ['date', 'set-cookie', 'x-ratelimit-remaining'];
      const headers = (r: typeof a) =>
        Object.keys(r.headers)
          .filter((h) => !varying.includes(h))
          .sort()
          .map((h) => `${h}:${h === 'content-length' ? '' : r.headers[h]}`);
      expect(headers(a)).toEqual(headers(b));
    }
  });
});

describe('one voice per member per vendor', () => {
  it("keeps a member's anonymous and named stories apart, in the rows and in the counts", async () => {
    const named = await postStory(author, {
      title: 'Named story, same vendor',
      vendors: 'Voice Vendor',
      sentiment: 'good',
    });
    const hidden = await postStory(author, {
      title: 'Anonymous story, same vendor',
      vendors: 'Voice Vendor',
      sentiment: 'bad',
      anonymous: true,
    });
    const keys = await t.app.db
      .selectFrom('thread_vendors')
      .select(['thread_id', 'voice_key', 'counted'])
      .where('thread_id', 'in', [named, hidden])
      .execute();
    expect(new Set(keys.map((row) => row.voice_key)).size).toBe(2);
    expect(keys.every((row) => row.counted)).toBe(true);
    const vendor = await t.app.db
      .selectFrom('vendors')
      .select(['voices', 'good', 'bad'])
      .where('slug', '=', 'voice-vendor')
      .executeTakeFirstOrThrow();
    expect(vendor).toEqual({ voices: 2, good: 1, bad: 1 });
  });
});

describe('/about/anonymity', () => {
  it('says what is protected and what is not, linked from the story form and account page', async () => {
    const page = await visitor.get('/about/anonymity');
    expect(page.statusCode).toBe(200);
    for (const heading of ['What is protected', 'What it cannot protect', 'What you can do'])
      expect(page.body).toContain(`<h2>${heading}</h2>`);
    for (const risk of [
      'writing style',
      'order of a story',
      'ANON_SECRET',
      'A copy of the database',
    ])
      expect(page.body).toContain(risk);
    expect((await author.get('/threads/new')).body).toContain('href="/about/anonymity"');
    expect((await author.get('/account')).body).toContain('href="/about/anonymity"');
  });
});

describe('the database', () => {
  it("holds the anonymous author's id in no row about their posts, nor their name", async () => {
    const { rows: tables } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.app.db);
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(['threads', 'replies', 'revisions', 'thread_vendors']),
    );
    for (const { table_name } of tables) {
      const { rows } = await sql<
        Record<string, unknown>
      >`select * from ${sql.table(table_name)}`.execute(t.app.db);
      for (const row of rows) {
        // The member's own account and sessions name them, as they must; nothing else may.
        if (table_name === 'users' && row.id === MARKER_ID) continue;
        if (table_name === 'sessions' && row.user_id === MARKER_ID) continue;
        // Posts the member made under their own name carry it, as they should.
        if (['threads', 'replies'].includes(table_name) && row.anonymous === false) continue;
        for (const [column, value] of Object.entries(row)) {
          const text =
            value instanceof Uint8Array ? Buffer.from(value).toString('hex') : String(value);
          expect(value === MARKER_ID, `${table_name}.${column}`).toBe(false);
          expect(text, `${table_name}.${column}`).not.toContain(MARKER);
          if (typeof value === 'string')
            expect(value, `${table_name}.${column}`).not.toMatch(new RegExp(`\\b${MARKER_ID}\\b`));
        }
      }
    }
  });

  it('cannot tell who wrote an anonymous post without ANON_SECRET', async () => {
    const rows = await t.app.db
      .selectFrom('threads')
      .select(['id', 'author_tag', 'author_box'])
      .where('anonymous', '=', true)
      .execute();
    const { createAnonymity } = await import('../server/security/anonymity.js');
    const wrongSecret = createAnonymity('a different secret that an attacker might guess 123');
    for (const row of rows) {
      expect(wrongSecret.open(row.author_box!)).toBeNull();
      expect(wrongSecret.authorTag(row.id, MARKER_ID)).not.toBe(row.author_tag);
      expect(t.app.anonymity.open(row.author_box!)).toBe(MARKER_ID);
    }
    // Sealed boxes of the same member differ, so they do not link posts to each other.
    const boxes = new Set(rows.map((row) => row.author_box));
    expect(boxes.size).toBe(rows.length);
  });
});
