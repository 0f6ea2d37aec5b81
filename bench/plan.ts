import type { Targets } from './dataset.js';
import type { Load } from './load.js';
import type { Member } from './member.js';

// What the bench measures: each page for a visitor with the page cache off, a visitor with the
// cache on, and a member (members never get the cache); the reply form for a member only.

export type Audience = 'visitor, cache off' | 'visitor, cache on' | 'member' | 'bare stack';

export interface Probe {
  page: string;
  audience: Audience;
  load: Load;
}

/** The probes of one page, measured one after another between two baseline measurements. */
export type Group = Probe[];

export interface ForumUrls {
  cacheOff: string;
  cacheOn: string;
  /** The baseline server, for the ceilings of pages that need more statements. */
  baseline: string;
}

/**
 * How many statements the pages measured run one after another: 1 to 3 for a visitor, 4 to 6
 * for a member (the session, the member's suspension, what their unread notices are derived
 * from, then the page's own; test/query-count.test.ts). The baseline with that many statements
 * is the ceiling of such a page, however little it renders.
 */
const STATEMENT_CEILINGS = [2, 4, 6];

/** Each reply differs ("[<id>]"): the same text twice within a minute would be taken as one. */
const REPLY_BODY = 'body=Benchmark+reply+[<id>]';

export function planGroups(targets: Targets, forums: ForumUrls, member: Member): Group[] {
  const { vendor, readThread, writeThread } = targets;
  const pages: [label: string, path: string][] = [
    ['`/`', '/'],
    ['`/vendors`', '/vendors'],
    [
      `\`/vendors/${vendor.slug}\` (${vendor.stories.toLocaleString('en-US')} stories)`,
      `/vendors/${vendor.slug}`,
    ],
    [`\`/threads/${readThread}\` (50 replies shown)`, `/threads/${readThread}`],
    ['`/search?q=deal`', '/search?q=deal'],
  ];
  const groups = pages.map(([page, path]) => readProbes(page, path, forums, member));
  groups.push([replyProbe(writeThread, forums, member)]);
  groups.push(STATEMENT_CEILINGS.map((statements) => ceilingProbe(statements, forums)));
  return groups;
}

function readProbes(page: string, path: string, forums: ForumUrls, member: Member): Group {
  const get = (base: string, headers: Record<string, string>): Load => ({
    url: base + path,
    method: 'GET',
    headers,
    expect: 200,
  });
  return [
    { page, audience: 'visitor, cache off', load: get(forums.cacheOff, {}) },
    { page, audience: 'visitor, cache on', load: get(forums.cacheOn, {}) },
    // The member reads the forum with the cache off too: a session cookie bypasses it anyway.
    { page, audience: 'member', load: get(forums.cacheOff, { cookie: member.cookie }) },
  ];
}

function replyProbe(threadId: number, forums: ForumUrls, member: Member): Probe {
  return {
    page: `POST a reply (\`/threads/${threadId}/replies\`)`,
    audience: 'member',
    load: {
      url: `${forums.cacheOff}/threads/${threadId}/replies`,
      method: 'POST',
      headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${encodeURIComponent(member.csrf)}&${REPLY_BODY}`,
      expect: 303,
    },
  };
}

/** The baseline's page after `statements - 1` lookups by primary key (bench/baseline.ts). */
function ceilingProbe(statements: number, forums: ForumUrls): Probe {
  return {
    page: `baseline with ${statements} statements in a row`,
    audience: 'bare stack',
    load: {
      url: `${forums.baseline}/?queries=${statements}`,
      method: 'GET',
      headers: {},
      expect: 200,
    },
  };
}

/** The baseline server's one page. */
export const baselineLoad = (url: string): Load => ({
  url: `${url}/`,
  method: 'GET',
  headers: {},
  expect: 200,
});

/**
 * Sends each probe's request once before the clock starts, so that a wrong cookie, an expired
 * token or a missing page stops the bench at once instead of after minutes of 4xx answers.
 */
export async function checkProbes(groups: Group[]): Promise<void> {
  for (const { page, audience, load } of groups.flat()) {
    const body = load.body?.replaceAll('[<id>]', `check-${Date.now()}`);
    const response = await fetch(load.url, {
      method: load.method,
      headers: load.headers,
      body,
      redirect: 'manual',
    });
    await response.arrayBuffer();
    if (response.status !== load.expect)
      throw new Error(`${page} (${audience}) answered ${response.status}, not ${load.expect}`);
  }
}
