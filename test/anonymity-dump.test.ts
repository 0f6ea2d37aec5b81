import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient } from './helpers/client.js';
import { dumpTables, runDumpScenario, type Scenario } from './helpers/dump-scenario.js';

// The anonymity promise, tested as an attacker with a database dump but without ANON_SECRET
// would try it: no column value, timestamp, length or shape may tie two anonymous posts of one
// author together, or an anonymous post to a member. The test itself holds the secret, to know
// what the attacker must not find.

type Row = Record<string, unknown>;

let t: TestApp;
let scenario: Scenario;
let dump: Map<string, Row[]>;

beforeAll(async () => {
  t = await createTestApp();
  scenario = await runDumpScenario(t.app);
  dump = await dumpTables(t.app);
}, 120_000);
afterAll(async () => t.close());

const rows = (table: string) => dump.get(table) ?? [];
const postRow = (kind: 'thread' | 'reply', id: number) =>
  rows(kind === 'thread' ? 'threads' : 'replies').find((row) => row.id === id)!;
const text = (value: unknown) =>
  value instanceof Date
    ? value.toISOString()
    : value instanceof Uint8Array
      ? Buffer.from(value).toString('hex')
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value);
const onTheHour = (value: unknown) => new Date(value as string).getTime() % 3_600_000 === 0;

/** Every value the secret derives for a member: none may sit beside their anonymous posts. */
function keyedValues(memberId: number) {
  const a = t.app.anonymity;
  const vendorIds = rows('vendors').map((row) => row.id as number);
  const threadIds = rows('threads').map((row) => row.id as number);
  return new Set([
    a.noticeRecipient(memberId),
    a.suspensionSubject(memberId),
    a.ledgerOwner(memberId),
    ...vendorIds.flatMap((v) => [a.namedVoice(v, memberId), a.anonymousVoice(v, memberId)]),
    ...threadIds.map((id) => a.authorTag(id, memberId)),
  ]);
}

describe('a database dump after a busy scenario', () => {
  it('holds every table the forum has, and the scenario really happened', () => {
    for (const table of ['threads', 'replies', 'suspensions', 'moderation_log', 'reports'])
      expect(rows(table).length, table).toBeGreaterThan(0);
    expect(scenario.anonymous.length).toBeGreaterThanOrEqual(8);
    expect(rows('users').some((row) => row.username === 'carla')).toBe(false);
    expect(rows('threads').some((row) => row.held_for_review === true)).toBe(true);
    expect(rows('vendor_redirects').map((row) => row.old_slug)).toContain('northwind-systems');
    expect(rows('reports').some((row) => row.resolved_at != null)).toBe(true);
    expect(rows('moderation_log').map((row) => row.action)).toEqual(
      expect.arrayContaining(['auto-hide', 'dismiss', 'suspend', 'lock', 'merge-vendor']),
    );
  });

  it('times every anonymous post, and everything done to one, to the hour', () => {
    const anonymousThreadIds = new Set<number>();
    for (const post of scenario.anonymous) {
      const row = postRow(post.kind, post.id);
      if (post.kind === 'thread') anonymousThreadIds.add(post.id);
      for (const column of ['created_at', 'edited_at', 'deleted_at', 'hidden_at', 'locked_at']) {
        if (row[column] != null)
          expect(onTheHour(row[column]), `${post.kind} ${post.id} ${column}`).toBe(true);
      }
    }
    for (const revision of rows('revisions'))
      if (anonymousThreadIds.has(revision.thread_id as number))
        expect(onTheHour(revision.created_at)).toBe(true);
    const anonymousPost = (row: Row) =>
      row.reply_id != null
        ? scenario.anonymous.some((p) => p.kind === 'reply' && p.id === row.reply_id)
        : anonymousThreadIds.has(row.thread_id as number);
    const logged = rows('moderation_log').filter((row) => row.thread_id != null);
    expect(logged.some(anonymousPost)).toBe(true);
    for (const entry of logged.filter(anonymousPost))
      expect(onTheHour(entry.created_at), String(entry.action)).toBe(true);
    for (const report of rows('reports').filter(anonymousPost))
      if (report.resolved_at != null) expect(onTheHour(report.resolved_at)).toBe(true);
    // A suspension's end is sealed with its reason: nothing in the clear to match to the log.
    for (const suspension of rows('suspensions')) expect(suspension.until).toBeNull();
    for (const notice of rows('notifications')) {
      expect(onTheHour(notice.created_at)).toBe(true);
      if (notice.read_at != null) expect(onTheHour(notice.read_at)).toBe(true);
    }
  });

  it("keeps an anonymous post's link material out of every other row", () => {
    const where = new Map<string, { table: string; row: Row }[]>();
    for (const [table, tableRows] of dump)
      for (const row of tableRows)
        for (const [column, value] of Object.entries(row)) {
          if (column === '$xmin' || value == null) continue;
          const key = text(value);
          if (key.length < 8) continue;
          where.set(key, [...(where.get(key) ?? []), { table, row }]);
        }
    for (const post of scenario.anonymous) {
      const row = postRow(post.kind, post.id);
      for (const column of ['author_tag', 'author_box']) {
        for (const place of where.get(text(row[column])) ?? []) {
          // Only posts of the same thread may share it (one pseudonym per author and thread).
          expect(['threads', 'replies'], `${column} of ${post.kind} ${post.id}`).toContain(
            place.table,
          );
          const threadId = place.table === 'threads' ? place.row.id : place.row.thread_id;
          expect(threadId).toBe(post.threadId);
        }
      }
    }
  });

  it("puts none of the author's keyed values beside their anonymous posts", () => {
    const byId = new Map(Object.entries(scenario.members).map(([name, m]) => [name, m.id]));
    for (const post of scenario.anonymous) {
      const keys = keyedValues(byId.get(post.author)!);
      const own = postRow(post.kind, post.id);
      const about = [
        ...(post.kind === 'thread'
          ? [
              ...rows('thread_vendors').filter((row) => row.thread_id === post.id),
              ...rows('thread_areas').filter((row) => row.thread_id === post.id),
              ...rows('thread_votes').filter((row) => row.post_id === post.id),
              ...rows('reports').filter((row) => row.thread_id === post.id),
              ...rows('moderation_log').filter(
                (row) => row.thread_id === post.id && row.reply_id == null,
              ),
            ]
          : [
              ...rows('reply_votes').filter((row) => row.post_id === post.id),
              ...rows('reports').filter((row) => row.reply_id === post.id),
              ...rows('moderation_log').filter((row) => row.reply_id === post.id),
            ]),
      ];
      for (const row of about) {
        for (const [column, value] of Object.entries(row)) {
          expect(keys.has(text(value)), `${column} beside ${post.kind} ${post.id}`).toBe(false);
          if (['user_id', 'reporter_id', 'author_id'].includes(column))
            expect(value, `${column} beside ${post.kind} ${post.id}`).not.toBe(
              byId.get(post.author),
            );
          if (['member', 'moderator'].includes(column)) expect(value).not.toBe(post.author);
        }
      }
      // The post's own row: only its per-thread tag, which the secret needs to recompute.
      for (const [column, value] of Object.entries(own)) {
        if (column === 'author_tag') continue;
        expect(keys.has(text(value)), `${post.kind} ${post.id}.${column}`).toBe(false);
      }
      expect(own.author_id).toBeNull();
    }
    for (const row of rows('thread_vendors'))
      if (scenario.anonymous.some((p) => p.kind === 'thread' && p.id === row.thread_id))
        expect(row.voice_key).toBeNull();
  });

  it('gives two anonymous posts of one author nothing in common that others lack', () => {
    const ignored = new Set(['$xmin', 'id', 'thread_id', 'search_vector']);
    for (const kind of ['thread', 'reply'] as const) {
      const table = rows(kind === 'thread' ? 'threads' : 'replies');
      const posts = scenario.anonymous.filter((p) => p.kind === kind);
      for (const first of posts)
        for (const second of posts) {
          if (first === second || first.author !== second.author) continue;
          if (first.threadId === second.threadId) continue;
          const [a, b] = [postRow(kind, first.id), postRow(kind, second.id)];
          for (const column of Object.keys(a)) {
            if (ignored.has(column) || text(a[column]) !== text(b[column])) continue;
            // A shared value is fine when posts by someone else have it too.
            const common = table.some((row) => {
              const writer = scenario.anonymous.find((p) => p.kind === kind && p.id === row.id);
              return writer?.author !== first.author && text(row[column]) === text(a[column]);
            });
            expect(common, `${kind}s ${first.id} and ${second.id} share ${column}`).toBe(true);
          }
        }
    }
  });

  it("gives a deleted member's anonymous rows the shape of everyone else's", () => {
    for (const table of ['threads', 'replies']) {
      const anonymousRows = rows(table).filter((row) => row.anonymous === true);
      const shape = (row: Row) =>
        ['author_id', 'author_tag', 'author_box', 'pseudonym']
          .map((column) => (row[column] == null ? 'null' : String(row[column]).length))
          .join(',');
      expect(new Set(anonymousRows.map(shape)).size, table).toBe(1);
    }
    const carla = keyedValues(scenario.deleted.id);
    for (const [table, tableRows] of dump)
      for (const row of tableRows)
        for (const [column, value] of Object.entries(row))
          expect(carla.has(text(value)), `${table}.${column}`).toBe(false);
    for (const post of scenario.anonymous.filter((p) => p.author === 'carla')) {
      const row = postRow(post.kind, post.id);
      expect(t.app.anonymity.open(row.author_box as string)).toBeNull();
    }
  });

  it("shows a deleted member's anonymous posts exactly as before", async () => {
    const visitor = new TestClient(t.app);
    expect(scenario.deleted.pagesBefore.size).toBe(2);
    for (const [url, before] of scenario.deleted.pagesBefore) {
      const after = await visitor.get(url);
      // The story itself, not a 404 or a redirect that would read the same twice.
      expect(after.statusCode, url).toBe(200);
      const title = String(postRow('thread', Number(url.split('/').pop())).title);
      expect(after.body, url).toContain(`<h1 id="story-title">${title}</h1>`);
      expect(after.body, url).toContain('Anonymous provider');
      expect(after.body, url).toBe(before);
    }
  });

  it("hides a deleted member's anonymous posts in a crowd, by transaction and by order", () => {
    const named = rows('threads').find((row) => row.title === 'Carla names a vendor')!;
    expect(named.author_id).toBeNull();
    const deletion = named.$xmin;
    // In a forum this small the deletion re-sealed every anonymous post, not just hers.
    for (const table of ['threads', 'replies']) {
      const anonymousRows = rows(table).filter((row) => row.anonymous === true);
      expect(anonymousRows.length).toBeGreaterThan(1);
      for (const row of anonymousRows) expect(row.$xmin, `${table} ${row.id}`).toBe(deletion);
    }
  });

  it('gives every anonymous post a box of its own', () => {
    const boxes = [...rows('threads'), ...rows('replies')]
      .filter((row) => row.anonymous === true)
      .map((row) => row.author_box);
    expect(new Set(boxes).size).toBe(boxes.length);
  });

  it('seals the ledgers and suspension reasons at one length', () => {
    const ledgers = rows('anonymous_ledgers');
    expect(ledgers.length).toBeGreaterThan(0);
    expect(new Set(ledgers.map((row) => String(row.sealed).length)).size).toBe(1);
    for (const row of rows('suspensions')) expect(String(row.sealed).length).toBeGreaterThan(4096);
  });

  it('stores no notice about an anonymous post', () => {
    // Moderators decided on anonymous posts (a dismissal, a suspension, a lock): each would
    // have been a notice to a named post's author.
    const anonymousPost = (row: Row) =>
      scenario.anonymous.some((p) =>
        row.reply_id != null
          ? p.kind === 'reply' && p.id === row.reply_id
          : p.kind === 'thread' && p.id === row.thread_id,
      );
    const decisions = rows('moderation_log').filter(anonymousPost);
    expect(decisions.map((row) => row.action)).toEqual(
      expect.arrayContaining(['dismiss', 'suspend', 'lock']),
    );
    const notices = rows('notifications').map((row) =>
      t.app.anonymity.openData<{ kind: string; threadId?: number; replyId?: number }>(
        String(row.sealed),
      ),
    );
    // The lock on Bruno's named story is stored, and is the only kind that is.
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices) expect(notice?.kind).toBe('moderation');
    const aboutAnonymous = notices.filter((notice) =>
      scenario.anonymous.some((p) =>
        notice?.replyId != null
          ? p.kind === 'reply' && p.id === notice.replyId
          : p.kind === 'thread' && p.id === notice?.threadId,
      ),
    );
    expect(aboutAnonymous).toEqual([]);
  });

  it('writes no anonymous post in the transaction of a row that names its author', () => {
    // Read before the account deletion, which re-seals every anonymous post (checked above).
    const table = (name: string) => scenario.beforeDeletion.get(name) ?? [];
    for (const post of scenario.anonymous) {
      const member = scenario.members[post.author]!;
      const row = table(post.kind === 'thread' ? 'threads' : 'replies').find(
        (r) => r.id === post.id,
      )!;
      const naming = [
        ...table('users').filter((r) => r.id === member.id),
        ...table('sessions').filter((r) => r.user_id === member.id),
        ...table('threads').filter((r) => r.author_id === member.id),
        ...table('replies').filter((r) => r.author_id === member.id),
        ...table('thread_votes').filter((r) => r.user_id === member.id),
        ...table('reply_votes').filter((r) => r.user_id === member.id),
        ...table('reports').filter((r) => r.reporter_id === member.id),
        ...table('notifications').filter(
          (r) => r.recipient === t.app.anonymity.noticeRecipient(member.id),
        ),
      ].map((r) => r.$xmin);
      expect(naming, `${post.kind} ${post.id}`).not.toContain(row.$xmin);
    }
  });
});
