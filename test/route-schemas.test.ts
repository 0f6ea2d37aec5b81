import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

// Issue 11: every route declares its schema. What a visitor or a script sends that does not fit
// gets a clear 400 (404 for an address naming nothing), as a page or as JSON, and a form that
// does not fit comes back with the member's input kept.

let t: TestApp;
let member: TestClient;
let story: number;

beforeAll(async () => {
  t = await createTestApp();
  member = new TestClient(t.app);
  await registerMember(member, 'schema-member');
  story = await postStory(member, { title: 'A story to address' });
});
afterAll(async () => t?.close());

const visit = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

describe('query strings', () => {
  it.each(['2.5', '0', '-1', '1e3', '0x10', ' 3', 'two'])(
    'refuses ?page=%s with a 400 page that says what a page number is',
    async (page) => {
      const response = await visit(`/?page=${encodeURIComponent(page)}`);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.body).toContain('The page number must be a whole number from 1 up.');
      expect(response.body).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    },
  );

  it('reads an empty field as absent and plain digits as a number', async () => {
    expect((await visit('/?page=')).statusCode).toBe(200);
    expect((await visit('/?page=1&sort=new')).statusCode).toBe(200);
    const thread = await visit(`/threads/${story}?page=01`);
    expect(thread.statusCode).toBe(200);
    expect(thread.body).toContain('A story to address');
  });

  it('answers a JSON client in JSON, with the same status and message', async () => {
    const response = await visit('/?sort=sideways', { accept: 'application/json' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('sorted by'),
    });
  });

  it('refuses a field sent twice instead of picking one', async () => {
    const response = await visit('/search?q=deal&q=bid');
    expect(response.statusCode).toBe(400);
  });
});

describe('addresses', () => {
  it.each(['abc', '0', '1.5', '99999999999', '-3'])('answers /threads/%s with 404', async (id) => {
    const response = await visit(`/threads/${id}`);
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('There is nothing at this address.');
  });
});

describe('forms', () => {
  it('shows a form that does not fit again, with the input kept and the message by the field', async () => {
    const visitor = new TestClient(t.app);
    const long = 'x'.repeat(40);
    const response = await visitor.submit('/register', '/register', {
      username: long,
      password: 'correct horse battery',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`value="${long}"`);
    expect(response.body).toMatch(/aria-invalid="true"/);
    expect(response.body).toContain('Choose a username of 3–32 characters');
  });

  it('checks the CSRF token and the login before the form', async () => {
    // An empty reply from a member without the token: refused for the token, not the form.
    const forged = await member.post(`/threads/${story}/replies`, { _csrf: null, body: '' });
    expect(forged.statusCode).toBe(403);
    // The same from a visitor with a token: sent to log in, not told about the form.
    const visitor = new TestClient(t.app);
    await visitor.get('/login');
    const anonymous = await visitor.post(`/threads/${story}/replies`, { body: '' });
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });
});
