import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOO_COMPLEX_MESSAGE } from '../server/markdown.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';

// Issue 10, finding 2, over HTTP: a body that Markdown takes seconds to format, or nested so deep
// that it overflowed the stack, is answered within the time limit with a 400 that keeps the
// input, and other readers are served meanwhile. Previews, new stories, edits and replies alike.

const TIME_LIMIT_MS = 1500;
const SLOW = '*_a'.repeat(6666);
const DEEP = '>'.repeat(3000);

let t: TestApp;
let author: TestClient;
let storyId: number;
let replyId: number;

beforeAll(async () => {
  t = await createTestApp({ markdown: { timeoutMs: TIME_LIMIT_MS, threads: 2 } });
  author = new TestClient(t.app);
  await registerMember(author, 'heavy-writer');
  storyId = await postStory(author, { title: 'A story to edit later', vendors: 'Initech' });
  replyId = await postReply(author, storyId, 'A reply to edit later.');
});
afterAll(async () => t?.close());

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const story = (body: string, action: 'post' | 'preview') => ({
  title: 'Too much formatting',
  body,
  vendors: 'Initech',
  sentiment: 'bad',
  action,
});

interface Form {
  name: string;
  /** The page holding the form, read first for its CSRF token. */
  page: () => string;
  action: () => string;
  fields: (body: string) => Record<string, string>;
}

const FORMS: Form[] = [
  {
    name: 'a new story, previewed',
    page: () => '/threads/new',
    action: () => '/threads',
    fields: (body) => story(body, 'preview'),
  },
  {
    name: 'a new story, posted',
    page: () => '/threads/new',
    action: () => '/threads',
    fields: (body) => story(body, 'post'),
  },
  {
    name: 'an edit, previewed',
    page: () => `/threads/${storyId}/edit`,
    action: () => `/threads/${storyId}/edit`,
    fields: (body) => story(body, 'preview'),
  },
  {
    name: 'an edit, saved',
    page: () => `/threads/${storyId}/edit`,
    action: () => `/threads/${storyId}/edit`,
    fields: (body) => story(body, 'post'),
  },
  {
    name: 'a reply',
    page: () => `/threads/${storyId}`,
    action: () => `/threads/${storyId}/replies`,
    fields: (body) => ({ body }),
  },
  {
    name: 'an edited reply',
    page: () => `/replies/${replyId}/edit`,
    action: () => `/replies/${replyId}/edit`,
    fields: (body) => ({ body }),
  },
];

const cases = FORMS.flatMap((form) => [
  { ...form, body: SLOW, label: "'*_a' x 6,666" },
  { ...form, body: DEEP, label: "'>' x 3,000" },
]);

describe('a body too complex to format', () => {
  it.each(cases)(
    '$name with $label: answered within the limit, input kept; the front page meanwhile',
    async ({ page, action, fields, body }) => {
      await author.get(page());
      const started = performance.now();
      let postedAt = 0;
      const posting = author.post(action(), fields(body)).then((response) => {
        postedAt = performance.now();
        return response;
      });
      // A reader arrives while the body is being formatted. Their wait counts from when they
      // meant to ask: a blocked event loop would delay the asking itself.
      const readStarted = started + 100;
      await new Promise((resolve) => setTimeout(resolve, 100));
      const front = await new TestClient(t.app).get('/');
      const readAt = performance.now();
      const response = await posting;

      expect(front.statusCode).toBe(200);
      expect(readAt - readStarted).toBeLessThan(1000);
      expect(postedAt - started).toBeLessThan(TIME_LIMIT_MS + 3000);
      // Seconds of work for the parser, or 3,000 quotes deep: refused, with the input kept.
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(TOO_COMPLEX_MESSAGE);
      expect(response.body).toContain(`>${escape(body)}</textarea>`);
      // The reader was not kept waiting for the parser.
      if (body === SLOW) expect(readAt).toBeLessThan(postedAt);
    },
  );

  it('leaves no story, reply or edit behind when refused', async () => {
    const threads = await t.app.db
      .selectFrom('threads')
      .select('id')
      .where('body_source', '=', SLOW)
      .execute();
    const replies = await t.app.db
      .selectFrom('replies')
      .select('id')
      .where('body_source', '=', SLOW)
      .execute();
    expect([...threads, ...replies]).toEqual([]);
  });
});
