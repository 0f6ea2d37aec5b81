import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const PASSWORD = 'correct horse battery';

describe('registration', () => {
  it('creates the member, logs them in and shows their name in the header', async () => {
    const client = new TestClient(t.app);
    const response = await client.submit('/register', '/register', {
      username: 'Alice_1',
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/welcome');
    const home = await client.get('/');
    expect(home.body).toContain('Alice_1');
    expect(home.body).toContain('Log out');
    expect(home.body).not.toContain('href="/login"');
  });

  it('refuses a username taken in another case with 409 and keeps the input', async () => {
    await registerMember(new TestClient(t.app), 'bob-taken');
    const client = new TestClient(t.app);
    const response = await client.submit('/register', '/register', {
      username: 'BOB-Taken',
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('That username is taken');
    expect(response.body).toContain('value="BOB-Taken"');
    expect(response.body).not.toContain(PASSWORD);
  });

  it.each([
    ['too short', 'ab', PASSWORD, 'username'],
    ['too long', 'a'.repeat(33), PASSWORD, 'username'],
    ['with a space', 'two words', PASSWORD, 'username'],
    ['with punctuation', 'dot.name', PASSWORD, 'username'],
    ['with markup', '<b>x</b>', PASSWORD, 'username'],
    ['empty', '', PASSWORD, 'username'],
    ['with a short password', 'shortpass', 'nine char', 'password'],
    ['with an overlong password', 'longpass', 'x'.repeat(257), 'password'],
  ])(
    'rejects a registration %s with 400 and a message beside the field',
    async (_case, username, password, field) => {
      const client = new TestClient(t.app);
      const response = await client.submit('/register', '/register', { username, password });
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(`id="${field}-error"`);
      expect(response.body).toContain('Please correct the marked fields');
      expect(response.body).not.toContain('<b>x</b>');
    },
  );

  it('accepts usernames at the length limits', async () => {
    for (const username of ['abc', 'z'.repeat(32)]) {
      const response = await new TestClient(t.app).submit('/register', '/register', {
        username,
        password: 'p'.repeat(10),
      });
      expect(response.statusCode).toBe(303);
    }
  });

  it('stores an argon2id hash, never the password', async () => {
    await registerMember(new TestClient(t.app), 'hashcheck', PASSWORD);
    const row = await t.app.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'hashcheck')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });
});

describe('login and logout', () => {
  beforeAll(async () => {
    await registerMember(new TestClient(t.app), 'carol', PASSWORD);
  });

  it('logs in with the right password, in any case of the username', async () => {
    const client = new TestClient(t.app);
    const response = await client.submit('/login', '/login', {
      username: 'CAROL',
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(303);
    expect((await client.get('/account')).body).toContain('carol');
  });

  it('says the same for a wrong password and an unknown user, keeping the username', async () => {
    const wrong = await new TestClient(t.app).submit('/login', '/login', {
      username: 'carol',
      password: 'wrong password!',
    });
    const unknown = await new TestClient(t.app).submit('/login', '/login', {
      username: 'nobody-here',
      password: PASSWORD,
    });
    expect(wrong.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(400);
    expect(wrong.body).toContain('Incorrect username or password.');
    expect(unknown.body).toContain('Incorrect username or password.');
    expect(wrong.body).toContain('value="carol"');
    expect(wrong.headers['set-cookie']?.toString() ?? '').not.toContain('session=');
  });

  it('sets an HttpOnly, SameSite=Lax session cookie holding "<id>.<secret>", storing only a hash', async () => {
    const client = new TestClient(t.app);
    const response = await client.submit('/login', '/login', {
      username: 'carol',
      password: PASSWORD,
    });
    const cookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/;\s*Secure/i); // Secure only in production, tested below
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie)![1]!);
    expect(expires.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    const [id, secret] = client.cookies.get('session')!.split('.');
    const row = await t.app.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(Buffer.from(row.secret_hash).toString('hex')).not.toContain(
      Buffer.from(secret!).toString('hex'),
    );
    expect(row.secret_hash.length).toBe(32);
  });

  it('gives a new session on each login, and logout deletes it on the server', async () => {
    const client = new TestClient(t.app);
    await client.submit('/login', '/login', { username: 'carol', password: PASSWORD });
    const first = client.cookies.get('session')!;
    await client
      .submit('/login', '/login', { username: 'carol', password: PASSWORD })
      .catch(() => undefined);
    await client.post('/login', { username: 'carol', password: PASSWORD });
    const second = client.cookies.get('session')!;
    expect(second).not.toBe(first);

    const stolen = second;
    const logout = await client.submit('/account', '/logout', {});
    expect(logout.statusCode).toBe(303);
    expect(client.cookies.has('session')).toBe(false);
    const replay = await t.app.inject({ url: '/account', cookies: { session: stolen } });
    expect(replay.statusCode).toBe(303);
    expect(replay.headers.location).toBe('/login?next=%2Faccount');
  });

  it('ignores forged and malformed session tokens', async () => {
    const client = new TestClient(t.app);
    await client.submit('/login', '/login', { username: 'carol', password: PASSWORD });
    const [id] = client.cookies.get('session')!.split('.');
    for (const token of [`${id}.${'a'.repeat(24)}`, 'garbage', `${id}`, '']) {
      const response = await t.app.inject({ url: '/account', cookies: { session: token } });
      expect(response.statusCode).toBe(303);
    }
  });

  it('extends a session that is used in its last 15 days', async () => {
    const client = new TestClient(t.app);
    await client.submit('/login', '/login', { username: 'carol', password: PASSWORD });
    const [id] = client.cookies.get('session')!.split('.');
    const soon = new Date(Date.now() + 5 * 24 * 3600 * 1000);
    await t.app.db
      .updateTable('sessions')
      .set({ expires_at: soon })
      .where('id', '=', id!)
      .execute();
    const response = await client.get('/account');
    expect(response.statusCode).toBe(200);
    const row = await t.app.db
      .selectFrom('sessions')
      .select('expires_at')
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime() - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);
    expect(String(response.headers['set-cookie'])).toContain('session=');
  });

  it('refuses an expired session and removes it', async () => {
    const client = new TestClient(t.app);
    await client.submit('/login', '/login', { username: 'carol', password: PASSWORD });
    const [id] = client.cookies.get('session')!.split('.');
    await t.app.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id!)
      .execute();
    expect((await client.get('/account')).statusCode).toBe(303);
    expect(
      await t.app.db.selectFrom('sessions').select('id').where('id', '=', id!).executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('returning to "next" after login', () => {
  beforeAll(async () => {
    await registerMember(new TestClient(t.app), 'dave', PASSWORD);
  });

  it('sends a visitor of /account to log in and back', async () => {
    const client = new TestClient(t.app);
    const gate = await client.get('/account');
    expect(gate.headers.location).toBe('/login?next=%2Faccount');
    const form = await client.get(gate.headers.location as string);
    expect(form.body).toContain('name="next" value="/account"');
    const response = await client.post('/login', {
      username: 'dave',
      password: PASSWORD,
      next: '/account',
    });
    expect(response.headers.location).toBe('/account');
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    '/%0d%0aLocation:%20https://evil.example',
    ' //evil.example',
    'http:evil.example',
    '/\t/evil.example',
  ])('refuses the open redirect %j and goes home instead', async (next) => {
    const client = new TestClient(t.app);
    await client.get('/login');
    const response = await client.post('/login', { username: 'dave', password: PASSWORD, next });
    expect(response.statusCode).toBe(303);
    const location = String(response.headers.location);
    expect(new URL(location, 'http://forum.test').host).toBe('forum.test');
    expect(location.startsWith('//')).toBe(false);
  });
});

describe('CSRF and Origin', () => {
  it('refuses a login without a CSRF token with 403', async () => {
    const client = new TestClient(t.app);
    await client.get('/login');
    const response = await client.post('/login', {
      _csrf: null,
      username: 'dave',
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Your form has expired');
  });

  it('refuses a wrong CSRF token with 403', async () => {
    const client = new TestClient(t.app);
    await client.get('/register');
    const response = await client.post('/register', {
      _csrf: 'forged-token',
      username: 'mallory',
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(403);
    const row = await t.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'mallory')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it("refuses another browser's token", async () => {
    const victim = new TestClient(t.app);
    await victim.get('/login');
    const attacker = new TestClient(t.app);
    await attacker.get('/login');
    const response = await attacker.post('/login', {
      _csrf: victim.csrfToken!,
      username: 'dave',
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(403);
  });

  it('refuses a logout without a token, and the member stays logged in', async () => {
    const client = new TestClient(t.app);
    await registerMember(client, 'erin');
    const response = await client.post('/logout', { _csrf: null });
    expect(response.statusCode).toBe(403);
    expect((await client.get('/account')).statusCode).toBe(200);
  });

  it('refuses a form posted from another origin even with a valid token', async () => {
    const client = new TestClient(t.app);
    await client.get('/login');
    const response = await client.post(
      '/login',
      { username: 'dave', password: PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(response.statusCode).toBe(403);
    const same = await client.post(
      '/login',
      { username: 'dave', password: PASSWORD },
      { origin: 'http://localhost:80' },
    );
    expect(same.statusCode).toBe(303);
  });
});

describe('the account page', () => {
  it('shows the member, role and what anonymity cannot protect', async () => {
    const client = new TestClient(t.app);
    await registerMember(client, 'frank');
    const response = await client.get('/account');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('frank');
    expect(response.body).toContain('member');
    expect(response.body).toContain('writing style');
  });
});
