import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient } from './helpers/client.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('after registering', () => {
  it('a new member is welcomed with three next steps', async () => {
    const client = new TestClient(t.app);
    const registered = await client.submit('/register', '/register', {
      username: 'welcomed',
      password: 'correct horse battery',
    });
    expect(registered.statusCode).toBe(303);
    expect(registered.headers.location).toBe('/welcome');
    const page = await client.get('/welcome');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Welcome, welcomed</h1>');
    const steps = /<ol class="next-steps">([\s\S]*?)<\/ol>/.exec(page.body)![1]!;
    expect(steps.match(/<li>/g)).toHaveLength(3);
    for (const link of ['/threads/new', '/vendors', '/account#email-heading'])
      expect(steps).toContain(`href="${link}"`);
  });

  it('keeps where they were going, within the site only', async () => {
    const client = new TestClient(t.app);
    const registered = await client.submit('/register', '/register', {
      username: 'welcomed-back',
      password: 'correct horse battery',
      next: '/vendors/some-vendor',
    });
    expect(registered.headers.location).toBe('/welcome?next=%2Fvendors%2Fsome-vendor');
    const page = await client.get(String(registered.headers.location));
    expect(page.body).toContain('href="/vendors/some-vendor">Continue where you were going');
    const hostile = await client.get('/welcome?next=https://evil.example/');
    expect(hostile.body).not.toMatch(/href="[^"]*evil\.example/);
    expect(hostile.body).not.toContain('Continue where you were going');
  });

  it('is for members: a visitor is sent to log in', async () => {
    const visitor = await new TestClient(t.app).get('/welcome');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Fwelcome');
  });
});
