import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../server/accounts/passwords.js';
import { DEMO_PASSWORD, DEMO_VENDORS } from '../server/demo/data.js';
import { planDemo, type DemoPlan } from '../server/demo/plan.js';
import { seedDemo } from '../server/demo/seed.js';
import {
  givesOf,
  needsOf,
  SCENARIOS,
  SCENARIO_BY_KEY,
  textOf,
  type Line,
  type Question,
} from '../server/demo/stories.js';
import { toldFrom } from '../server/demo/writer.js';
import { expectedAggregates, maintainedAggregates } from '../server/reputation/recompute.js';
import { createTestApp, type TestApp } from './helpers/app.js';

const root = path.resolve(import.meta.dirname, '..');
const DAY = 86_400_000;
const HOUR = 3_600_000;
// The demo fills a forum from scratch: on a busy 2-core machine that takes a while.
const FILL_MS = 300_000;

/** `npx tsx server/cli/demo.ts`, as `npm run demo` runs it, with its output collected. */
function startDemo(env: Record<string, string>) {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/demo.ts'], {
    cwd: root,
    env: { ...rest, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, exited, output: () => output };
}

/** Sentences of a text: ended by . ! ? or a line, blank ones left out. */
const sentences = (text: string) =>
  text
    .split(/\n+|(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);

const duplicates = (items: string[]) =>
  items.filter((item, index) => items.indexOf(item) !== index);

/** Logs in through the form, as a browser would; returns the status and the session cookie. */
async function logIn(url: string, username: string, password: string) {
  const page = await fetch(`${url}/login`);
  const cookies = page.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: cookies.join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: token, username, password }),
  });
  const session = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);
  return { status: response.status, cookie: [...cookies, ...session].join('; ') };
}

describe.concurrent('npm run demo', () => {
  it('refuses a busy port in one line, before filling anything', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen({ port: 0, host: '127.0.0.1' }, resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const demo = startDemo({ PORT: String(port), HOST: '127.0.0.1' });
      const code = await demo.exited;
      const output = demo.output();
      expect(code).not.toBe(0);
      expect(output.trim()).toBe(
        `Port ${port} is in use: stop what uses it, or run PORT=${port + 1} npm run demo`,
      );
      expect(output).not.toMatch(/^\s+at /m);
      expect(output).not.toContain('Filling');
    } finally {
      busy.close();
    }
  }, 120_000);

  it(
    'starts a filled forum, shows progress, and prints logins that all work',
    async () => {
      const demo = startDemo({ PORT: '0', RATE_LIMIT_LOGIN: '1000' });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`the demo did not start: ${demo.output()}`)),
            FILL_MS - 30_000,
          );
          demo.child.stdout.on('data', () => {
            // The last line printed: everything above it has arrived by then.
            if (!demo.output().includes('Everything here is invented')) return;
            clearTimeout(timer);
            resolve(/running at (http:\/\/[^\s/]+)\//.exec(demo.output())![1]!);
          });
          void demo.exited.then((code) =>
            reject(new Error(`the demo exited with ${code}: ${demo.output()}`)),
          );
        });
        const output = demo.output();
        // Progress while filling, a line per step with its count.
        expect(output).toMatch(/^ {2}members… \d+/m);
        expect(output).toMatch(/^ {2}stories… \d+, replies… \d+, vendor answers… \d+/m);
        expect(output).toMatch(/^ {2}votes… \d+/m);

        // Every login printed, each with the password, and each one logs in.
        const logins = [...output.matchAll(/^ {2}(?:[^:\n]+): (\S+) \/ (\S+)/gm)].map(
          ([, username, password]) => ({ username: username!, password: password! }),
        );
        expect(logins.length).toBeGreaterThanOrEqual(24);
        expect(output).toMatch(/moderator: demo_moderator \/ \S+/);
        expect(output).toMatch(/admin: demo_admin \/ \S+/);
        expect(output).toMatch(/representative of Globex Hardware: globex_channel_team \/ \S+/);
        expect(output).toMatch(/representative of Hooli Cloud: hooli_partner_desk \/ \S+/);
        for (const { username, password } of logins)
          expect((await logIn(url, username, password)).status, username).toBe(303);

        const vendor = await (await fetch(`${url}/vendors/globex-hardware`)).text();
        expect(vendor).toContain('<h1>Globex Hardware</h1>');
        expect(vendor).toContain('No call back on a $500k deal');
        expect((vendor.match(/class="thread-card"/g) ?? []).length).toBeGreaterThan(5);
        // Two vendors answer stories, with figures behind them; the others are not on the forum.
        expect(vendor).toMatch(
          /Responded to <strong>\d+%<\/strong> of stories in the last 12 months/,
        );
        expect(vendor).toMatch(/Partners say resolved: <strong>\d+ of \d+<\/strong>/);
        expect(vendor).toContain('Vendor answered · resolved');
        // Its program, what partners of each tier say it delivered, and its changes on the trend.
        expect(vendor).toContain('program: <a href="#profile">Globex PartnerFirst</a>');
        expect(vendor).toMatch(
          /\d+ of \d+ (Gold|Silver|Platinum|Registered) partners say not delivered/,
        );
        expect(vendor).toContain('Demo units for Gold partners cut from four to one per year.');
        expect(vendor).toContain('<line class="trend-change"');
        const quiet = await (await fetch(`${url}/vendors/initech-storage`)).text();
        expect(quiet).toContain('Not on Partner Stories yet');
        const front = await (await fetch(`${url}/?sort=new`)).text();
        expect(front).toContain(
          'Highest partner level, and still no special bid, no discount, no demo',
        );
        const vendors = await (await fetch(`${url}/vendors`)).text();
        expect((vendors.match(/<td><a href="\/vendors\//g) ?? []).length).toBeGreaterThanOrEqual(
          25,
        );

        // Titles as people write them: none numbered, none twice on the newest pages.
        const titles: string[] = [];
        for (const page of [1, 2, 3]) {
          const html = await (await fetch(`${url}/?sort=new&page=${page}`)).text();
          titles.push(
            ...[...html.matchAll(/<a href="\/threads\/\d+[^"]*"[^>]*>([^<]+)<\/a>/g)].map(
              ([, title]) => title!,
            ),
          );
        }
        expect(titles.length).toBeGreaterThan(30);
        expect(duplicates(titles)).toEqual([]);
        expect(titles.filter((title) => /\(\d+\)$/.test(title))).toEqual([]);

        // The moderation log has real decisions, each with its reason.
        const moderator = await logIn(url, 'demo_moderator', DEMO_PASSWORD);
        const log = await (
          await fetch(`${url}/mod/log`, { headers: { cookie: moderator.cookie } })
        ).text();
        const rows = [...log.matchAll(/<tr>\s*<td>([\s\S]*?)<\/tr>/g)].map(([row]) => row);
        expect(rows.length).toBeGreaterThanOrEqual(8);
        for (const action of ['hide', 'dismiss', 'restore', 'lock', 'suspend'])
          expect(log).toMatch(new RegExp(`<td>${action}[ <]`));
        for (const row of rows) expect(row).toMatch(/<td>[^<]{10,}<\/td>\s*<\/tr>$/);
      } finally {
        demo.child.kill('SIGTERM');
      }
    },
    FILL_MS,
  );

  it(
    'fills the forum through its own functions, as the plan says, on the test database',
    () => checkSeededForum(),
    FILL_MS,
  );
});

describe('the demo plan', () => {
  const now = Date.UTC(2026, 5, 15, 12, 0);
  const plan = planDemo(now);

  it('is the same forum every time', () => {
    expect(planDemo(now)).toEqual(plan);
  });

  it('has no title, body or reply twice, and no sentence twice in one story', () => {
    const stories = plan.stories;
    expect(stories.length).toBeGreaterThan(150);
    expect(duplicates(stories.map((story) => story.title))).toEqual([]);
    expect(duplicates(stories.map((story) => story.body))).toEqual([]);
    expect(stories.filter((story) => /\(\d+\)$/.test(story.title))).toEqual([]);
    for (const story of stories) {
      expect(duplicates(sentences(story.body)), story.title).toEqual([]);
      expect(duplicates(story.replies.map((reply) => reply.body)), story.title).toEqual([]);
    }
    // Threads talk: most stories have replies, and replies differ from thread to thread.
    const replies = stories.flatMap((story) => story.replies.map((reply) => reply.body));
    expect(replies.length).toBeGreaterThan(stories.length * 2);
    const uses = new Map<string, number>();
    for (const reply of replies) uses.set(reply, (uses.get(reply) ?? 0) + 1);
    // A stock phrase ("Agreed…") may come up twice in a forum, not twenty times.
    expect([...uses].filter(([, count]) => count > 2)).toEqual([]);
    expect(uses.size).toBeGreaterThan(replies.length / 2);
  });

  it('has no title that is another one with the vendor swapped', () => {
    // Longest first, so that "Globex Hardware" goes before "Globex".
    const names = DEMO_VENDORS.flatMap((vendor) => [vendor.name, vendor.short])
      .map((name) => name.toLowerCase())
      .sort((a, b) => b.length - a.length);
    const shape = (title: string) =>
      names
        .reduce((text, name) => text.split(name).join('V'), title.toLowerCase())
        .replace(/'s\b/g, '')
        .replace(/\ban V\b/g, 'a V');
    const shapes = new Map<string, string[]>();
    for (const { title } of plan.stories)
      shapes.set(shape(title), [...(shapes.get(shape(title)) ?? []), title]);
    expect([...shapes.values()].filter((titles) => titles.length > 1)).toEqual([]);
  });

  it('tells no noticeable sentence in two stories, of one member or of one vendor or any', () => {
    const told = new Map<string, string>();
    const again: string[] = [];
    for (const story of plan.stories)
      for (const sentence of new Set(sentences(story.body).filter((s) => s.length >= 40))) {
        const before = told.get(sentence);
        if (before !== undefined) again.push(`${sentence} (${before} / ${story.title})`);
        told.set(sentence, story.title);
      }
    expect(again).toEqual([]);
  });

  it('answers a story only with replies about details its body tells', () => {
    // Every detail a reply may need is one its scenario's body can tell.
    for (const scenario of SCENARIOS) {
      const parts = [
        ...scenario.situation,
        ...scenario.promise,
        ...(scenario.also ?? []),
        ...scenario.happened,
        ...scenario.consequence,
      ];
      const tellable = new Set(parts.flatMap(givesOf));
      for (const line of [
        ...scenario.questions,
        ...scenario.similar,
        ...scenario.advice,
        ...scenario.dissent,
      ])
        for (const detail of needsOf(line)) expect(tellable, scenario.key).toContain(detail);
    }
    let replies = 0;
    let specific = 0;
    for (const story of plan.stories) {
      const told = toldFrom(story);
      if (!told) continue;
      const scenario = SCENARIO_BY_KEY.get(told.scenario)!;
      const { ctx } = told;
      // The details the body tells: those of the scenario's parts written into it.
      const tells = new Set(
        [
          ...scenario.situation,
          ...scenario.promise,
          ...(scenario.also ?? []),
          ...scenario.happened,
          ...scenario.consequence,
        ]
          .filter((part) => story.body.includes(textOf(part)(ctx)))
          .flatMap(givesOf),
      );
      // The scenario's replies, each with the details it refers to; a question's answer too.
      const lines: { text: string; line: Line | Question }[] = [
        ...[...scenario.similar, ...scenario.advice, ...scenario.dissent].map((line) => ({
          text: textOf(line)(ctx),
          line,
        })),
        ...scenario.questions.flatMap((question) => [
          { text: question.ask(ctx), line: question },
          { text: question.answer(ctx), line: question },
        ]),
      ];
      for (const reply of story.replies) {
        const match = lines.find(({ text }) => text === reply.body);
        if (!match) continue;
        replies++;
        const needs = needsOf(match.line);
        if (needs.length > 0) specific++;
        for (const detail of needs)
          expect(tells, `${story.title}: ${reply.body}`).toContain(detail);
      }
    }
    expect(replies).toBeGreaterThan(plan.stories.length);
    expect(specific).toBeGreaterThan(20);
  });

  it('tells the issue’s cases, with sentiments and areas that match', () => {
    const bodies = plan.stories.map((story) => `${story.title}\n${story.body}`).join('\n');
    for (const words of [
      /pre-sales/i,
      /deal registration/i,
      /discount/i,
      /partner manager/i,
      /demo unit/i,
      /marketing fund/i,
      /voucher/i,
      /special bid/i,
      /portal/i,
      /downgraded/i,
    ])
      expect(bodies).toMatch(words);
    for (const story of plan.stories) {
      const ratings = Object.values(story.areas);
      if (story.sentiment === 'good') expect(ratings, story.title).toContain('good');
      if (story.sentiment === 'bad') expect(ratings, story.title).toContain('bad');
      if (story.sentiment === 'mixed')
        expect(ratings, story.title).toEqual(expect.arrayContaining(['good', 'bad']));
    }
    const sentiments = new Set(plan.stories.map((story) => story.sentiment));
    expect([...sentiments].sort()).toEqual(['bad', 'good', 'mixed']);
  });

  it('spreads stories over two years, with replies after their story and in order', () => {
    const times = plan.stories.map((story) => story.at);
    expect(now - Math.min(...times)).toBeGreaterThan(365 * DAY);
    expect(Math.max(...times)).toBeLessThan(now);
    for (const story of plan.stories) {
      let last = story.at;
      if (story.anonymous) expect(story.at % HOUR, story.title).toBe(0);
      for (const reply of story.replies) {
        expect(reply.at, story.title).toBeGreaterThan(last);
        expect(reply.at).toBeLessThan(now);
        if (reply.anonymous) expect(reply.at % HOUR).toBe(0);
        last = reply.at;
      }
      if (story.response) expect(story.response.at).toBeGreaterThan(story.at);
    }
  });

  it('has moderators deciding, with reasons, after the posts and reports', () => {
    const decisions = plan.events.filter((event) => event.kind === 'moderate');
    expect(new Set(decisions.map((event) => event.action))).toEqual(
      new Set(['hide', 'dismiss', 'restore', 'lock', 'suspend']),
    );
    for (const event of plan.events) {
      if (event.kind !== 'moderate' && event.kind !== 'report') continue;
      const story = plan.stories[event.post.story]!;
      const post = event.post.reply === undefined ? story : story.replies[event.post.reply]!;
      expect(event.at).toBeGreaterThan(post.at);
      if (event.kind === 'moderate') expect(event.reason.length).toBeGreaterThan(20);
    }
  });
});

/** The demo seeded on a test database, its rows checked against the plan and the forum's rules. */
async function checkSeededForum() {
  const t: TestApp = await createTestApp();
  try {
    const now = Date.now();
    const plan = planDemo(now);
    await seedDemo(t.app.db, t.app.anonymity, await hashPassword(DEMO_PASSWORD), {
      reportPolicy: { autoHideReporters: 3, reporterMinAgeDays: 7 },
      now,
    });
    await checkPosts(t, plan);
    await checkModeration(t, now);
    // The vendors' figures are as the rows give them, after the dates moved.
    expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));
  } finally {
    await t.close();
  }
}

/** Unique titles, bodies and replies, dated over two years, replies after their story. */
async function checkPosts(t: TestApp, plan: DemoPlan) {
  const db = t.app.db;
  const threads = await db
    .selectFrom('threads')
    .select(['id', 'title', 'body_source', 'anonymous', 'created_at'])
    .orderBy('id')
    .execute();
  expect(threads.map((thread) => thread.title).sort()).toEqual(
    plan.stories.map((story) => story.title).sort(),
  );
  expect(duplicates(threads.map((thread) => thread.title))).toEqual([]);
  expect(duplicates(threads.map((thread) => thread.body_source))).toEqual([]);
  // Told as planned: anonymously where the plan says, so no anonymous story lost its cover.
  const anonymous = new Map(plan.stories.map((story) => [story.title, story.anonymous]));
  for (const thread of threads)
    expect(thread.anonymous, thread.title).toBe(anonymous.get(thread.title));
  for (const thread of threads)
    expect(duplicates(sentences(thread.body_source)), thread.title).toEqual([]);
  const times = threads.map((thread) => thread.created_at.getTime());
  expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(365 * DAY);
  for (const thread of threads.filter((thread) => thread.anonymous))
    expect(thread.created_at.getTime() % HOUR).toBe(0);

  const replies = await db
    .selectFrom('replies')
    .innerJoin('threads', 'threads.id', 'replies.thread_id')
    .select([
      'replies.id',
      'replies.thread_id',
      'replies.body_source',
      'replies.anonymous',
      'replies.created_at',
      'replies.official_vendor_id',
      'threads.created_at as story_at',
    ])
    .orderBy('replies.id')
    .execute();
  expect(replies.length).toBeGreaterThan(threads.length * 2);
  const byThread = new Map<number, typeof replies>();
  for (const reply of replies) {
    expect(reply.created_at.getTime()).toBeGreaterThan(reply.story_at.getTime());
    if (reply.anonymous) expect(reply.created_at.getTime() % HOUR).toBe(0);
    if (reply.official_vendor_id !== null) continue;
    byThread.set(reply.thread_id, [...(byThread.get(reply.thread_id) ?? []), reply]);
  }
  for (const thread of byThread.values()) {
    expect(duplicates(thread.map((reply) => reply.body_source))).toEqual([]);
    const at = thread.map((reply) => reply.created_at.getTime());
    expect(at).toEqual([...at].sort((a, b) => a - b));
  }
  // Nobody posted before joining.
  const early = await sql<{ n: number }>`select count(*)::int as n from threads t
    join users u on u.id = t.author_id where t.created_at < u.created_at`.execute(db);
  expect(early.rows[0]!.n).toBe(0);
}

/** A log of real decisions with reasons, dated as they happened, and reports left to review. */
async function checkModeration(t: TestApp, now: number) {
  const log = await t.app.db
    .selectFrom('moderation_log')
    .select(['id', 'action', 'reason', 'created_at'])
    .orderBy('id')
    .execute();
  expect(log.length).toBeGreaterThanOrEqual(10);
  for (const action of ['hide', 'dismiss', 'restore', 'lock', 'suspend', 'auto-hide'])
    expect(log.map((entry) => entry.action)).toContain(action);
  for (const entry of log) expect(entry.reason.trim().length).toBeGreaterThan(10);
  const at = log.map((entry) => entry.created_at.getTime());
  expect(at).toEqual([...at].sort((a, b) => a - b));
  expect(now - at[0]!).toBeGreaterThan(365 * DAY);
  const open = await t.app.db
    .selectFrom('reports')
    .select('id')
    .where('resolved_at', 'is', null)
    .execute();
  expect(open.length).toBeGreaterThanOrEqual(2);
}
