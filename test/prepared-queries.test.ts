import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepared } from '../server/db/prepared.js';
import { createTestApp, type TestApp } from './helpers/app.js';

// Issue 12: the statements every member page runs are built and compiled once; each run must
// still get its own values, in the right places, on either database.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('a prepared query', () => {
  it('is built once and runs with each call’s own values, null and repeated ones included', async () => {
    let builds = 0;
    const echo = prepared((db, values: { a: number; b: string | null; limit: number }) => {
      builds++;
      return db
        .selectNoFrom([
          sql<number>`${values.a}::int`.as('a'),
          sql<string | null>`${values.b}::text`.as('b'),
          sql<number>`${values.a}::int + 1`.as('next'),
        ])
        .limit(values.limit);
    });
    expect(await echo(t.app.db, { a: 1, b: 'one', limit: 5 })).toEqual([
      { a: 1, b: 'one', next: 2 },
    ]);
    expect(await echo(t.app.db, { a: 41, b: null, limit: 5 })).toEqual([
      { a: 41, b: null, next: 42 },
    ]);
    expect(await echo(t.app.db, { a: 7, b: 'x', limit: 0 })).toEqual([]);
    expect(builds).toBe(1);
  });
});
