import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';
import { cleanInput, cleanText } from '../server/security/input.js';

// Issue 9, finding 10: control characters never get in, so feeds stay XML and search markers
// stay the search's own.

const CONTROLS = '\u0001\u0008\u001b\u007f\u0085\u009b';
// eslint-disable-next-line no-control-regex -- the characters this file is about
const ANY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

let t: TestApp;
let writer: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  writer = new TestClient(t.app);
  await registerMember(writer, 'control-writer');
});
afterAll(async () => t.close());

describe('cleanText', () => {
  it('strips C0 and C1 controls and DEL from a single-line field, tabs and newlines become spaces', () => {
    expect(cleanText(`A${CONTROLS}B`, false)).toBe('AB');
    expect(cleanText('one\ttwo\nthree\r\nfour\rfive', false)).toBe('one two three four five');
    expect(cleanText('\u0000', false)).toBe('');
  });

  it('keeps newlines and tabs in a multi-line field, and makes every line end a newline', () => {
    expect(cleanText(`a\tb\r\nc\rd\n${CONTROLS}e`, true)).toBe('a\tb\nc\nd\ne');
  });

  it('leaves other text alone: accents, scripts, emoji, line separators', () => {
    const text = 'Nestlé Яндекс 東芝 ✅ 👍🏽 a\u2028b';
    expect(cleanText(text, false)).toBe(text);
  });

  it('replaces lone surrogates and drops the noncharacters XML refuses', () => {
    expect(cleanText('a\ud800b\udc00c\ufffe\uffff', false)).toBe('a\ufffdb\ufffdc');
  });

  it('cleans every string of a parsed body, by field, and leaves passwords as typed', () => {
    expect(
      cleanInput({
        title: 'T\u0001\tx',
        body: 'B\u0002\ty',
        vendors: ['V\u0003', { deep: 'D\u0004' }],
        password: 'p\u0005w',
        new_password: 'n\u0006p',
        count: 3,
      }),
    ).toEqual({
      title: 'T x',
      body: 'B\ty',
      vendors: ['V', { deep: 'D' }],
      password: 'p\u0005w',
      new_password: 'n\u0006p',
      count: 3,
    });
  });
});

describe('a story whose title holds control characters', () => {
  let storyId: number;
  const title = `Special bid${CONTROLS} refused\tagain\nand again`;
  const shown = 'Special bid refused again and again';

  beforeAll(async () => {
    storyId = await postStory(writer, {
      title,
      body: `Line one with xylophone ${'\u0001'}quartz${'\u0002'} words.\n\n\tIndented\u001b line\r\nlast`,
      vendors: `Control\u0007 Vendor, Other\u009b Vendor`,
      tier: `Gold\u0001\tPlus`,
      sentiment: 'bad',
    });
  });

  it('posts, and shows the title without them', async () => {
    const page = await new TestClient(t.app).get(`/threads/${storyId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(shown);
    expect(page.body).not.toMatch(ANY_CONTROL);
  });

  it('stores no control character in any field; the body keeps its newlines and tab', async () => {
    const row = await t.app.db
      .selectFrom('threads')
      .select(['title', 'body_source', 'tier'])
      .where('id', '=', storyId)
      .executeTakeFirstOrThrow();
    expect(row.title).toBe(shown);
    expect(row.body_source).toBe('Line one with xylophone quartz words.\n\n\tIndented line\nlast');
    expect(row.tier).not.toMatch(ANY_CONTROL);
    const vendors = await t.app.db.selectFrom('vendors').select('name').execute();
    expect(vendors.map((v) => v.name)).toEqual(
      expect.arrayContaining(['Control Vendor', 'Other Vendor']),
    );
    const names = await t.app.db.selectFrom('vendor_names').select(['name', 'match_key']).execute();
    for (const name of names) expect(name.name + name.match_key).not.toMatch(ANY_CONTROL);
  });

  it('keeps /feed.atom well-formed XML, with the clean title', async () => {
    const response = await new TestClient(t.app).get('/feed.atom');
    expect(response.statusCode).toBe(200);
    expect(XMLValidator.validate(response.body)).toBe(true);
    const feed = new XMLParser().parse(response.body).feed;
    const entries = [feed.entry].flat();
    expect(entries.map((entry: { title: string }) => entry.title)).toContain(shown);
    expect(response.body).not.toMatch(ANY_CONTROL);
  });

  it('keeps the vendor feed well-formed XML', async () => {
    const vendor = await t.app.db
      .selectFrom('vendors')
      .select('slug')
      .where('name', '=', 'Control Vendor')
      .executeTakeFirstOrThrow();
    const response = await new TestClient(t.app).get(`/vendors/${vendor.slug}/feed.atom`);
    expect(response.statusCode).toBe(200);
    expect(XMLValidator.validate(response.body)).toBe(true);
  });

  it('search finds it and marks only the words searched for', async () => {
    const response = await new TestClient(t.app).get('/search?q=xylophone');
    expect(response.statusCode).toBe(200);
    const marks = [...response.body.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]);
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark!.toLowerCase()).toMatch(/^xylophone/);
    expect(response.body).not.toContain('<mark>quartz');
    expect(response.body).not.toMatch(ANY_CONTROL);
  });

  it('search by the title still works, and control characters in the query do no harm', async () => {
    const response = await new TestClient(t.app).get(
      `/search?q=${encodeURIComponent('refused\u0001\u0002 again')}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`/threads/${storyId}`);
    expect(response.body).not.toMatch(ANY_CONTROL);
  });
});

describe('every other field a member writes', () => {
  it('a reply body', async () => {
    const storyId = await postStory(writer, { vendors: 'Reply Vendor' });
    const replyId = await postReply(
      writer,
      storyId,
      'Reply\u0001 with\u0085 controls\n\tand a tab',
    );
    const row = await t.app.db
      .selectFrom('replies')
      .select('body_source')
      .where('id', '=', replyId)
      .executeTakeFirstOrThrow();
    expect(row.body_source).toBe('Reply with controls\n\tand a tab');
  });

  it('a report note', async () => {
    const storyId = await postStory(writer, { vendors: 'Report Vendor' });
    const reporter = new TestClient(t.app);
    await registerMember(reporter, 'control-reporter');
    await reporter.get(`/threads/${storyId}/report`);
    const response = await reporter.post(`/threads/${storyId}/report`, {
      reason: 'spam',
      note: 'Looks\u0001 like\u009b spam\nto me',
    });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const notes = await t.app.db.selectFrom('reports').select('note').execute();
    expect(notes.map((row) => row.note)).toContain('Looks like spam\nto me');
  });

  it('a moderation reason', async () => {
    const storyId = await postStory(writer, { vendors: 'Moderated Vendor' });
    const moderator = new TestClient(t.app);
    await registerMember(moderator, 'control-moderator');
    await updateRole(t.app.db, 'control-moderator', 'moderator');
    await moderator.get('/mod');
    const response = await moderator.post(`/mod/threads/${storyId}`, {
      action: 'lock',
      reason: 'Locked\u0001 for\u0085 cooling\toff',
      next: '/mod',
    });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
    const log = await moderator.get('/mod/log');
    expect(log.body).toContain('Locked for cooling off');
    const { rows } = await sql<{ dump: string }>`select string_agg(m::text, ' ') as dump
      from moderation_log m`.execute(t.app.db);
    expect(rows[0]!.dump).not.toMatch(ANY_CONTROL);
  });

  it('bio and company', async () => {
    const member = new TestClient(t.app);
    await registerMember(member, 'control-profile');
    await member.get('/account');
    const response = await member.post('/account/profile', {
      company: 'Acme\u0001\tIT',
      bio: 'We sell\u0008 things.\n\tMostly\u009b routers.',
    });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
    const row = await t.app.db
      .selectFrom('users')
      .select(['company', 'bio'])
      .where('username', '=', 'control-profile')
      .executeTakeFirstOrThrow();
    expect(row.company).toBe('Acme IT');
    expect(row.bio).toBe('We sell things.\n\tMostly routers.');
  });

  it('a username', async () => {
    const member = new TestClient(t.app);
    const response = await member.submit('/register', '/register', {
      username: 'ctl\u0001user\u009b',
      password: 'correct horse battery',
    });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
    const users = await t.app.db.selectFrom('users').select('username').execute();
    expect(users.map((row) => row.username)).toContain('ctluser');
    for (const row of users) expect(row.username).not.toMatch(ANY_CONTROL);
  });

  it('a vendor name alone made of controls is refused, with the input kept', async () => {
    await writer.get('/threads/new');
    const response = await writer.post('/threads', {
      title: 'A story with no real vendor',
      body: 'Some body text for the story.',
      vendors: '\u0001\u0002',
      sentiment: 'bad',
      action: 'post',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="A story with no real vendor"');
  });
});
