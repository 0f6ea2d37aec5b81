import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { safeNextPath } from '../server/security/redirects.js';

// Issue 9, finding 9: "next" on /login and /register must never lead to another site.

let t: TestApp;
let member: TestClient;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  t = await createTestApp();
  member = new TestClient(t.app);
  await registerMember(member, 'next-tester', PASSWORD);
});
afterAll(async () => t.close());

/** Every way we know to turn a path into another origin once a browser resolves it. */
const HOSTILE = [
  '/.//evil.example',
  '/.//evil.example/path?x=1',
  '/..//evil.example',
  '/../..//evil.example',
  '/%2e%2e//evil.example',
  '/.%2f/evil.example',
  '/.%2F%2Fevil.example',
  '/..%2f%2fevil.example',
  '/%2E//evil.example',
  '/.%2e//evil.example',
  '/././/evil.example',
  '/a/..//evil.example',
  '/%2f%2fevil.example',
  '/%2F/evil.example',
  '/%5c%5cevil.example',
  '/%5C/evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '//evil.example',
  '///evil.example',
  '//evil.example/%2f..',
  ' //evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/\u0000/evil.example',
  '\t//evil.example',
  'https://evil.example/',
  'http:evil.example',
  'http:/evil.example',
  'HTTPS://evil.example',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '/%0d%0aLocation:%20https://evil.example',
  '/\u3002/evil.example',
  '/\uff0f/evil.example',
  '/\uff0f\uff0fevil.example',
];

/** A Location a browser keeps on this site, whichever way it (or a proxy) decodes it. */
function expectSameOrigin(location: string, where: string) {
  expect(location, where).toMatch(/^\//);
  for (const form of [location, decodeURIComponentSafe(location)]) {
    expect(form, where).not.toMatch(/^[/\\]{2}/);
    expect(form, where).not.toMatch(/^\/[/\\]/);
    expect(new URL(form, 'http://forum.test').origin, where).toBe('http://forum.test');
    // eslint-disable-next-line no-control-regex -- control characters must never reach a header
    expect(form, where).not.toMatch(/[\u0000-\u001f\u007f]/);
  }
}

function decodeURIComponentSafe(text: string) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

describe('safeNextPath', () => {
  it.each(HOSTILE)('turns %j into a path on this site', (next) => {
    const path = safeNextPath(next);
    expectSameOrigin(path, JSON.stringify(next));
  });

  it.each(['/account', '/threads/4/a-story?page=2#reply-9', '/vendors/dell', '/search?q=a%2Fb'])(
    'keeps the same-origin path %j',
    (next) => {
      expect(safeNextPath(next)).toBe(next);
    },
  );

  it('falls back to / for what is not a string', () => {
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(['/account'])).toBe('/');
  });
});

describe('"next" through the forms', () => {
  it.each(HOSTILE)('POST /login with next=%j redirects within the site', async (next) => {
    const client = new TestClient(t.app);
    const response = await client.submit('/login', '/login', {
      username: 'next-tester',
      password: PASSWORD,
      next,
    });
    expect(response.statusCode).toBe(303);
    expectSameOrigin(String(response.headers.location), `POST /login ${JSON.stringify(next)}`);
  });

  it.each(HOSTILE)('POST /register with next=%j redirects within the site', async (next) => {
    const client = new TestClient(t.app);
    const username = `reg-${HOSTILE.indexOf(next)}-x`;
    const response = await client.submit('/register', '/register', {
      username,
      password: PASSWORD,
      next,
    });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(303);
    expectSameOrigin(String(response.headers.location), `POST /register ${JSON.stringify(next)}`);
  });

  it.each(HOSTILE)(
    'GET /login and /register with next=%j: a member is redirected within the site',
    async (next) => {
      for (const page of ['/login', '/register']) {
        const response = await member.get(`${page}?next=${encodeURIComponent(next)}`);
        expect(response.statusCode).toBe(303);
        expectSameOrigin(String(response.headers.location), `GET ${page} ${JSON.stringify(next)}`);
      }
    },
  );

  it.each(HOSTILE)(
    'GET /login and /register with next=%j: a visitor gets a form carrying a safe next',
    async (next) => {
      for (const page of ['/login', '/register']) {
        const response = await new TestClient(t.app).get(
          `${page}?next=${encodeURIComponent(next)}`,
        );
        expect(response.statusCode).toBe(200);
        const carried = /name="next" value="([^"]*)"/.exec(response.body)?.[1];
        expect(carried, `${page}: hidden next`).toBeDefined();
        expectSameOrigin(unescapeHtml(carried!), `hidden next on ${page} ${JSON.stringify(next)}`);
        for (const [, href] of response.body.matchAll(/href="\/(?:login|register)\?next=([^"]*)"/g))
          expectSameOrigin(decodeURIComponent(unescapeHtml(href!)), `link on ${page}`);
      }
    },
  );

  it('a failed login keeps a safe next and refuses a hostile one', async () => {
    const client = new TestClient(t.app);
    await client.get('/login');
    const kept = await client.post('/login', {
      username: 'next-tester',
      password: 'wrong password!',
      next: '/account',
    });
    expect(kept.statusCode).toBe(400);
    expect(kept.body).toContain('name="next" value="/account"');
    const refused = await client.post('/login', {
      username: 'next-tester',
      password: 'wrong password!',
      next: '/.//evil.example',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('name="next" value="/"');
  });

  it('still returns a member to the same-origin page they came from', async () => {
    const client = new TestClient(t.app);
    const response = await client.submit('/login', '/login', {
      username: 'next-tester',
      password: PASSWORD,
      next: '/search?q=special+bid',
    });
    expect(response.headers.location).toBe('/search?q=special+bid');
  });
});

function unescapeHtml(text: string) {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
