import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient } from './helpers/client.js';
import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import {
  DUMP_ADDRESSES,
  dumpTables,
  runDumpScenario,
  type Dump,
  type Scenario,
} from './helpers/dump-scenario.js';
import { MailCatcher } from './helpers/mail.js';

// The anonymity promise, tested as an attacker with a database dump but without ANON_SECRET
// would try it: no column value, timestamp, length or shape may tie two anonymous posts of one
// author together, or an anonymous post to a member. The test itself holds the secret, to know
// what the attacker must not find.

type Row = Record<string, unknown>;

let t: TestApp;
let smtp: MailCatcher;
let scenario: Scenario;
let dump: Dump;
/** The columns that hold a member's id, as the schema's foreign keys say, by table. */
let memberColumns: Map<string, Set<string>>;

beforeAll(async () => {
  smtp = await new MailCatcher().start();
  // Mail refused once waits an hour: still queued when the dump is read, however slow the run.
  t = await createTestApp({
    smtpUrl: smtp.url,
    mail: { pollMs: 0, retryMs: 3_600_000, maxAttempts: 8 },
  });
  scenario = await runDumpScenario(t.app, { smtp });
  dump = await dumpTables(t.app);
  const { rows: references } = await sql<{ table_name: string; column_name: string }>`
    select kcu.table_name, kcu.column_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    join information_schema.constraint_column_usage ccu
      on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()
      and ccu.table_name = 'users' and ccu.column_name = 'id'`.execute(t.app.db);
  memberColumns = new Map();
  for (const { table_name: table, column_name: column } of references)
    memberColumns.set(table, new Set([...(memberColumns.get(table) ?? []), column]));
}, 180_000);
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

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
    a.mailRecipient(memberId),
    a.linkSignature('unsubscribe', memberId),
    ...vendorIds.flatMap((v) => [a.namedVoice(v, memberId), a.anonymousVoice(v, memberId)]),
    ...threadIds.map((id) => a.authorTag(id, memberId)),
  ]);
}

describe('a database dump after a busy scenario', () => {
  it('holds every table the forum has, and the scenario really happened', () => {
    for (const table of [
      'threads',
      'replies',
      'suspensions',
      'moderation_log',
      'reports',
      'representatives',
      'vendor_response_stats',
      'vendor_response_days',
      'member_emails',
      'email_tokens',
      'vendor_follows',
      'mail_queue',
    ])
      expect(rows(table).length, table).toBeGreaterThan(0);
    expect(scenario.anonymous.length).toBeGreaterThanOrEqual(8);
    expect(rows('users').some((row) => row.username === 'carla')).toBe(false);
    expect(rows('threads').some((row) => row.held_for_review === true)).toBe(true);
    expect(rows('vendor_redirects').map((row) => row.old_slug)).toContain('northwind-systems');
    expect(rows('reports').some((row) => row.resolved_at != null)).toBe(true);
    expect(rows('moderation_log').map((row) => row.action)).toEqual(
      expect.arrayContaining([
        'auto-hide',
        'dismiss',
        'suspend',
        'lock',
        'merge-vendor',
        'grant-representative',
        'hide',
      ]),
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
      const answers = new Set(
        rows('replies')
          .filter((row) => row.thread_id === post.id && row.official_vendor_id != null)
          .map((row) => row.id),
      );
      const about = [
        ...(post.kind === 'thread'
          ? [
              ...rows('replies').filter((row) => answers.has(row.id)),
              ...rows('revisions').filter((row) => answers.has(row.reply_id)),
              ...rows('moderation_log').filter((row) => answers.has(row.reply_id)),
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
        ...table('representatives').filter((r) => r.user_id === member.id),
        ...table('notifications').filter(
          (r) => r.recipient === t.app.anonymity.noticeRecipient(member.id),
        ),
        ...table('member_emails').filter((r) => r.user_id === member.id),
        ...table('email_tokens').filter((r) => r.user_id === member.id),
        ...table('vendor_follows').filter((r) => r.user_id === member.id),
        ...table('mail_queue').filter(
          (r) => r.recipient === t.app.anonymity.mailRecipient(member.id),
        ),
      ].map((r) => r.$xmin);
      expect(naming, `${post.kind} ${post.id}`).not.toContain(row.$xmin);
    }
  });
});

describe("a database dump after vendors' answers", () => {
  const vendorId = () => rows('vendors').find((row) => row.slug === 'contoso')!.id as number;
  const memberId = (name: string) => scenario.members[name]!.id;
  const anonymousStories = () => scenario.anonymous.filter((post) => post.kind === 'thread');
  /** Free text people typed (titles, bodies) may name anyone: the test's own words are in it. */
  const typedText = new Set(['title', 'slug', 'body_source', 'body_html', 'search_vector']);
  const words = (value: unknown) =>
    new Set(
      text(value)
        .toLowerCase()
        .split(/[\s,.;:()"'[\]{}]+/),
    );

  /** Everything in a row that would name `author`: their id, their name, a keyed value. */
  function authorMaterial(table: string, row: Row, author: string, allowTag = false) {
    const id = memberId(author);
    const keys = keyedValues(id);
    const found: string[] = [];
    for (const [column, value] of Object.entries(row)) {
      if (column === '$xmin' || value == null) continue;
      if (memberColumns.get(table)?.has(column) && value === id) found.push(`${column} = id`);
      if (!typedText.has(column) && words(value).has(author)) found.push(`${column} names`);
      if (keys.has(text(value)) && !(allowTag && column === 'author_tag'))
        found.push(`${column} keyed`);
    }
    return found.map((what) => `${table}.${what}`);
  }

  it('holds a representative, their answers, the marks and the figures', () => {
    const rhea = memberId('rhea');
    expect(rows('representatives').map((row) => [row.user_id, row.vendor_id])).toEqual([
      [rhea, vendorId()],
    ]);
    const answers = rows('replies').filter((row) => row.official_vendor_id != null);
    expect(answers.map((row) => row.id).sort()).toEqual(
      scenario.vendors.responses.map((r) => r.id).sort(),
    );
    for (const answer of answers) {
      expect(answer.author_id).toBe(rhea);
      expect(answer.anonymous).toBe(false);
    }
    expect(answers.filter((row) => row.hidden_at != null).length).toBe(1);
    expect(scenario.vendors.responses.filter((r) => r.anonymousStory).length).toBe(3);
    expect(rows('revisions').some((row) => answers.some((a) => a.id === row.reply_id))).toBe(true);
    // Each mark on the story, and in what the story adds to the vendor's figures.
    for (const mark of scenario.vendors.marks) {
      expect(postRow('thread', mark.threadId).resolution, String(mark.threadId)).toBe(
        mark.resolution,
      );
      const tally = rows('thread_vendors').find(
        (row) => row.thread_id === mark.threadId && row.vendor_id === vendorId(),
      )!;
      expect(tally.tally_resolution).toBe(mark.resolution);
      expect(tally.tally_days).toBe(1);
    }
    expect(scenario.vendors.marks.filter((mark) => mark.anonymous).length).toBe(2);
    const stats = rows('vendor_response_stats').filter((row) => row.vendor_id === vendorId());
    const sum = (column: string) => stats.reduce((total, row) => total + Number(row[column]), 0);
    // Four answers count (one is hidden); two resolved, two not.
    expect([sum('answered'), sum('resolved'), sum('not_resolved')]).toEqual([4, 2, 2]);
    expect(rows('vendor_response_days').some((row) => row.vendor_id === vendorId())).toBe(true);
    // The representative read the notices of new stories about Contoso.
    const seen = rows('users').find((row) => row.id === rhea)!.vendor_stories_seen_id as number;
    expect(seen).toBeGreaterThan(scenario.vendors.representativeAnonymousStory);
  });

  it("ties no row about an anonymous story, its vendors' answers included, to its author", () => {
    let answered = 0;
    for (const story of anonymousStories()) {
      if (story.author === 'carla') continue; // no longer a member: nothing left to name
      const replies = new Set(
        rows('replies')
          .filter((row) => row.thread_id === story.id)
          .map((row) => row.id),
      );
      if (scenario.vendors.responses.some((r) => r.threadId === story.id)) answered++;
      for (const [table, tableRows] of dump)
        for (const row of tableRows) {
          const about =
            (table === 'threads' && row.id === story.id) ||
            row.thread_id === story.id ||
            (table === 'thread_votes' && row.post_id === story.id) ||
            (table === 'replies' && replies.has(row.id)) ||
            (table === 'reply_votes' && replies.has(row.post_id)) ||
            replies.has(row.reply_id);
          if (!about) continue;
          // The one keyed value allowed: the per-thread tag on the story and its author's replies.
          const own = table === 'threads' || table === 'replies';
          expect(
            authorMaterial(table, row, story.author, own),
            `${table} about ${story.id}`,
          ).toEqual([]);
        }
    }
    expect(answered).toBe(3); // Bruno's, Eve's and Dmitri's (whose answer is hidden)
    // The same look finds an author where one is named: Alma's named story, and its answer.
    const named = rows('threads').find((row) => row.title === 'Alma under her own name')!;
    expect(authorMaterial('threads', named, 'alma')).toEqual(['threads.author_id = id']);
    const answer = rows('replies').find((row) => row.thread_id === named.id)!;
    expect(authorMaterial('replies', answer, 'rhea')).toEqual(['replies.author_id = id']);
  });

  it('keeps the answer figures and the tallies to counts, months and days', () => {
    // Nothing more than these columns: a column added here must be checked for author material.
    const shapes = {
      vendor_response_stats: [
        'vendor_id',
        'month',
        'stories',
        'answered',
        'resolved',
        'not_resolved',
      ],
      vendor_response_days: ['vendor_id', 'month', 'days', 'answers'],
      representatives: ['user_id', 'vendor_id', 'granted_at', 'since_thread_id'],
    };
    for (const [table, columns] of Object.entries(shapes))
      for (const row of rows(table))
        expect(
          Object.keys(row)
            .filter((column) => column !== '$xmin')
            .sort(),
          table,
        ).toEqual([...columns].sort());
    for (const row of [...rows('vendor_response_stats'), ...rows('vendor_response_days')]) {
      expect(new Date(row.month as string).getUTCDate(), 'the first of a month').toBe(1);
      for (const column of ['stories', 'answered', 'resolved', 'not_resolved', 'days', 'answers'])
        if (column in row) expect(Number.isInteger(row[column]), column).toBe(true);
    }
    // A story's tally is its month, the days to its answer and its mark, nothing of its author.
    for (const story of anonymousStories()) {
      const thread = postRow('thread', story.id);
      for (const row of rows('thread_vendors').filter((r) => r.thread_id === story.id)) {
        expect(row.voice_key).toBeNull();
        if (row.tally_month != null) {
          const month = new Date(row.tally_month as string);
          const posted = new Date(thread.created_at as string);
          expect([month.getUTCFullYear(), month.getUTCMonth(), month.getUTCDate()]).toEqual([
            posted.getUTCFullYear(),
            posted.getUTCMonth(),
            1,
          ]);
        }
        if (row.tally_days != null) expect(Number.isInteger(row.tally_days)).toBe(true);
        expect(row.tally_resolution ?? null).toBe(
          row.tally_days == null ? null : (thread.resolution ?? null),
        );
      }
    }
  });

  it("leaves no time, and nothing of the author, from an anonymous author's mark", () => {
    const identity = (row: Row) =>
      JSON.stringify(
        Object.entries(row)
          .filter(([column]) => column !== '$xmin')
          .map(([column, value]) => [column, text(value)]),
      );
    const isTime = (value: unknown) => value instanceof Date;
    for (const mark of scenario.vendors.marks) {
      // The mark's transaction, and every row it wrote or changed.
      const xid = mark.after.get('threads')!.find((row) => row.id === mark.threadId)!.$xmin;
      const changed: { table: string; row: Row; before: Row | undefined }[] = [];
      for (const [table, after] of mark.after) {
        const before = mark.before.get(table) ?? [];
        const known = new Set(before.map(identity));
        for (const row of after) {
          if (known.has(identity(row)) && row.$xmin !== xid) continue;
          // The row it was: the one that agrees with it on the most columns.
          const agreement = (other: Row) =>
            Object.keys(row).filter((c) => c !== '$xmin' && text(row[c]) === text(other[c])).length;
          const was = [...before].sort((a, b) => agreement(b) - agreement(a))[0];
          changed.push({ table, row, before: was });
        }
      }
      const label = `${mark.author}'s mark on ${mark.threadId}`;
      // The mark really changed the story: the test looks at a real write.
      const story = changed.find((c) => c.table === 'threads' && c.row.id === mark.threadId);
      expect(story?.row.resolution, label).toBe(mark.resolution);
      if (!mark.anonymous) continue;
      for (const { table, row, before } of changed) {
        expect(
          ['threads', 'thread_vendors', 'vendor_response_stats', 'vendor_response_days'],
          `${label} changed ${table}`,
        ).toContain(table);
        if (table === 'threads' || table === 'thread_vendors')
          expect(table === 'threads' ? row.id : row.thread_id, label).toBe(mark.threadId);
        for (const [column, value] of Object.entries(row))
          if (isTime(value) && text(value) !== text(before?.[column]))
            expect(onTheHour(value), `${label}: ${table}.${column}`).toBe(true);
        expect(authorMaterial(table, row, mark.author, true), label).toEqual([]);
      }
    }
  });

  it("leaves the representative's own anonymous story as it was at the grant", () => {
    const { before, after } = scenario.vendors.grant;
    const story = scenario.vendors.representativeAnonymousStory;
    expect(scenario.anonymous.some((p) => p.id === story && p.author === 'rhea')).toBe(true);
    const of = (d: Dump) => [
      ...(d.get('threads') ?? []).filter((row) => row.id === story),
      ...(d.get('thread_vendors') ?? []).filter((row) => row.thread_id === story),
      ...(d.get('thread_areas') ?? []).filter((row) => row.thread_id === story),
    ];
    // Not even rewritten with the same values: the grant's transaction did not touch it.
    expect(of(after)).toEqual(of(before));
    expect(of(before).length).toBeGreaterThan(1);
    // It still counts for Contoso; her named one stopped counting.
    const counted = (d: Dump, thread: number) =>
      (d.get('thread_vendors') ?? []).find(
        (row) => row.thread_id === thread && row.vendor_id === vendorId(),
      )?.counted;
    expect(counted(after, story)).toBe(true);
    const named = (after.get('threads') ?? []).find(
      (row) =>
        row.author_id === memberId('rhea') && row.title === 'Rhea names Contoso, before her grant',
    )!;
    expect([counted(before, named.id as number), counted(after, named.id as number)]).toEqual([
      true,
      false,
    ]);
    // Where her notices of new stories begin: the newest story of anyone's at the grant (her
    // anonymous one, as it happens), not something of her own.
    const representative = (after.get('representatives') ?? [])[0]!;
    expect(representative.since_thread_id).toBe(
      Math.max(...(before.get('threads') ?? []).map((row) => row.id as number)),
    );
    // No anonymous post, nor anything of one, was written with the grant.
    const grant = representative.$xmin;
    for (const table of ['threads', 'replies'])
      for (const row of after.get(table) ?? [])
        if (row.anonymous === true) expect(row.$xmin, `${table} ${row.id}`).not.toBe(grant);
    const anonymousIds = new Set(
      (after.get('threads') ?? []).filter((row) => row.anonymous === true).map((row) => row.id),
    );
    for (const row of after.get('thread_vendors') ?? [])
      if (anonymousIds.has(row.thread_id)) expect(row.$xmin).not.toBe(grant);
  });

  it("points no member's read marks at their own anonymous stories", () => {
    for (const [name, member] of Object.entries(scenario.members)) {
      const user = rows('users').find((row) => row.id === member.id);
      if (!user) continue;
      const own = new Set(
        scenario.anonymous.filter((p) => p.author === name).map((p) => p.threadId),
      );
      const pointed = rows('replies').find((row) => row.id === user.replies_seen_id);
      expect(
        own.has(pointed?.thread_id as number),
        `${name}.replies_seen_id is reply ${String(pointed?.id)}` +
          `${pointed?.official_vendor_id != null ? " (a vendor's answer)" : ''}` +
          ` in their anonymous story ${String(pointed?.thread_id)}`,
      ).toBe(false);
      expect(own.has(user.vendor_stories_seen_id as number), `${name}.vendor_stories_seen_id`).toBe(
        false,
      );
    }
    // Bruno did read his notices, Contoso's answer to his anonymous story among them.
    const bruno = rows('users').find((row) => row.id === memberId('bruno'))!;
    expect(bruno.replies_seen_id).not.toBe(0);
  });

  it("sends the notice of a hidden answer to its representative, not to the story's author", () => {
    const hidden = scenario.vendors.responses.find((r) => r.hidden)!;
    const story = scenario.anonymous.find((p) => p.kind === 'thread' && p.id === hidden.threadId)!;
    const notices = rows('notifications').map((row) => ({
      recipient: row.recipient,
      notice: t.app.anonymity.openData<{ threadId?: number; replyId?: number }>(String(row.sealed)),
    }));
    const aboutIt = notices.filter((n) => n.notice?.replyId === hidden.id);
    expect(aboutIt.map((n) => n.recipient)).toEqual([
      t.app.anonymity.noticeRecipient(memberId('rhea')),
    ]);
    // No stored notice about an anonymous story goes to its author.
    for (const post of anonymousStories()) {
      if (post.author === 'carla') continue;
      const recipient = t.app.anonymity.noticeRecipient(memberId(post.author));
      for (const n of notices)
        if (n.notice?.threadId === post.id) expect(n.recipient).not.toBe(recipient);
    }
    expect(story.author).toBe('dmitri');
  });
});

describe('a database dump after members gave addresses, followed vendors and got mail', () => {
  const mail = () => scenario.mail!;
  const a = () => t.app.anonymity;
  const memberId = (name: string) => scenario.members[name]!.id;
  const nameOf = (id: unknown) =>
    Object.entries(scenario.members).find(([, member]) => member.id === id)?.[0];
  const living = () => Object.keys(scenario.members).filter((n) => n !== scenario.deleted.username);
  const everyAddress = () => Object.values(mail().addresses).flat();
  /** The rows of the mail tables that are the member's own: by id, or by their mail key. */
  const mailRows = (d: Dump, name: string) => {
    const id = memberId(name);
    const of = (table: string) => d.get(table) ?? [];
    return [
      ...of('member_emails').map((row) => ({ table: 'member_emails', row })),
      ...of('email_tokens').map((row) => ({ table: 'email_tokens', row })),
      ...of('vendor_follows').map((row) => ({ table: 'vendor_follows', row })),
    ]
      .filter(({ row }) => row.user_id === id)
      .concat(
        of('mail_queue')
          .filter((row) => row.recipient === a().mailRecipient(id))
          .map((row) => ({ table: 'mail_queue', row })),
      );
  };
  /** A queued mail, opened with the secret the test holds. */
  const opened = (row: Row) =>
    a().openData<{ to: string; subject: string; text: string; html: string }>(String(row.sealed))!;
  /** Everything a dump holds, table by table, as one text each. */
  const texts = (d: Dump) =>
    new Map(
      [...d].map(([table, tableRows]) => [
        table,
        tableRows
          .flatMap((row) => Object.values(row).filter((value) => value != null))
          .map(text)
          .join('\n'),
      ]),
    );

  /**
   * Where a value shows in a dump's texts: as itself in any letter case, or hex of it, or
   * base64 / base64url of it (as written, lower or upper case) at any of the three alignments
   * it can have inside a longer encoded value.
   */
  function findings(haystacks: Map<string, string>, value: string) {
    const found: string[] = [];
    const encoded: string[] = [];
    for (const variant of new Set([value, value.toLowerCase(), value.toUpperCase()])) {
      const bytes = Buffer.from(variant);
      for (let shift = 0; shift < 3; shift++) {
        const from = Math.ceil((shift * 8) / 6);
        const to = Math.floor(((shift + bytes.length) * 8) / 6);
        for (const encoding of ['base64', 'base64url'] as const)
          encoded.push(
            Buffer.concat([Buffer.alloc(shift), bytes])
              .toString(encoding)
              .slice(from, to),
          );
      }
    }
    const hex = Buffer.from(value.toLowerCase()).toString('hex');
    const hexUpper = Buffer.from(value.toUpperCase()).toString('hex');
    for (const [table, haystack] of haystacks) {
      const lower = haystack.toLowerCase();
      if (lower.includes(value.toLowerCase())) found.push(`${table}: ${value}`);
      if (lower.includes(hex) || lower.includes(hexUpper)) found.push(`${table}: hex of ${value}`);
      if (encoded.some((e) => haystack.includes(e))) found.push(`${table}: base64 of ${value}`);
    }
    return found;
  }

  it('holds addresses, follows, links and queued mail, as the scenario made them', () => {
    const emails = rows('member_emails');
    const byName = new Map(emails.map((row) => [nameOf(row.user_id) ?? '?', row]));
    expect([...byName.keys()].sort()).toEqual(['alma', 'bruno', 'dmitri', 'eve', 'rhea']);
    for (const [name, row] of byName) {
      // Each member's latest address, sealed: the secret opens it.
      expect(a().openAddress(String(row.address_sealed)), name).toBe(
        mail().addresses[name]!.at(-1),
      );
      expect(row.confirmed_at === null, name).toBe(name === 'rhea');
    }
    expect(Object.fromEntries([...byName].map(([name, row]) => [name, row.frequency]))).toEqual({
      alma: 'immediate',
      bruno: 'daily',
      dmitri: 'immediate',
      eve: 'immediate',
      rhea: 'never',
    });
    const slugOf = (vendorId: unknown) => rows('vendors').find((row) => row.id === vendorId)?.slug;
    const follows: Record<string, string[]> = {};
    for (const row of rows('vendor_follows'))
      (follows[nameOf(row.user_id)!] ??= []).push(String(slugOf(row.vendor_id)));
    for (const slugs of Object.values(follows)) slugs.sort();
    const expected = Object.fromEntries(
      Object.entries(mail().follows)
        .filter(([name]) => name !== 'carla')
        .map(([name, slugs]) => [name, [...slugs].sort()]),
    );
    expect(follows).toEqual(expected);

    // Links: Dmitri's reset waits unused, Eve's was used; Rhea's confirmation waits.
    const tokens = (name: string, purpose: string) =>
      rows('email_tokens').filter(
        (row) => row.user_id === memberId(name) && row.purpose === purpose,
      );
    expect(tokens('dmitri', 'reset').map((row) => row.used_at)).toEqual([null]);
    expect(tokens('eve', 'reset').map((row) => row.used_at === null)).toEqual([false]);
    expect(tokens('rhea', 'confirm').map((row) => row.used_at)).toEqual([null]);
    expect(tokens('dmitri', 'confirm')).toHaveLength(2);

    // Mail waits in the queue: Alma's, refused once and to be tried again, and two never tried.
    const queued = rows('mail_queue');
    const whose = (row: Row) =>
      living().find((name) => a().mailRecipient(memberId(name)) === row.recipient);
    expect(queued.map(whose).sort()).toEqual([...mail().waiting].sort());
    for (const row of queued) {
      const message = opened(row);
      expect(message.to, String(whose(row))).toBe(mail().addresses[whose(row)!]!.at(-1));
      expect(row.failed_at).toBeNull();
      expect(row.attempts).toBe(whose(row) === 'alma' ? 1 : 0);
    }
    expect(mail().refused).toBe(1);
    const refused = queued.find((row) => whose(row) === 'alma')!;
    expect(opened(refused).subject).toBe('1 new story: your Partner Stories news');
    expect(refused.last_error).toContain('over quota');
    expect(refused.last_error).toContain('[address]');
    expect(new Date(refused.next_attempt_at as string).getTime()).toBeGreaterThan(Date.now());
  });

  it('shows no address, nor its local part or domain, in any case or encoding', () => {
    const addresses = everyAddress();
    expect(addresses).toHaveLength(7);
    const parts = addresses.flatMap((address) => [address, ...address.split('@')]);
    // The search finds what it looks for, however it is written.
    const domain = DUMP_ADDRESSES.alma.split('@')[1]!;
    const planted = new Map([
      ['upper', `x ${domain.toUpperCase()} y`],
      ['hex', `\\x00${Buffer.from(domain.toLowerCase()).toString('hex')}ff`],
      ['base64', Buffer.from(`..${domain}`).toString('base64')],
      ['base64url', Buffer.from(`.${domain.toLowerCase()}`).toString('base64url')],
      ['nothing', 'northwind dump test example'],
    ]);
    expect(findings(planted, domain).map((found) => found.split(':')[0])).toEqual([
      'upper',
      'hex',
      'base64',
      'base64url',
    ]);
    // Not in the dump, nor in the one before Carla left, nor around any grant or mark.
    for (const d of [dump, scenario.beforeDeletion]) {
      const haystacks = texts(d);
      for (const part of parts) expect(findings(haystacks, part), part).toEqual([]);
    }
  });

  it('keeps no mailed link that works, only the hashes of the single-use ones', () => {
    const haystacks = [...texts(dump).values(), ...texts(scenario.beforeDeletion).values()];
    const paths = mail()
      .smtp.received.flatMap((received) => received.links)
      .map((link) => new URL(link).pathname);
    const single = paths
      .filter((path) => /^\/(email\/confirm|password\/reset)\//.test(path))
      .map((path) => path.split('/').pop()!);
    // Six confirmations and Eve's reset reached the members.
    expect(single).toHaveLength(7);
    const hashes = new Set(
      [...rows('email_tokens'), ...(scenario.beforeDeletion.get('email_tokens') ?? [])].map(
        (row) => row.token_hash,
      ),
    );
    for (const token of single) {
      expect(hashes.has(createHash('sha256').update(token).digest('hex'))).toBe(true);
      for (const haystack of haystacks) expect(haystack.includes(token)).toBe(false);
    }
    const signatures = paths
      .filter((path) => path.startsWith('/email/unsubscribe/'))
      .map((path) => path.split('.').pop()!);
    expect(signatures.length).toBeGreaterThan(0);
    for (const signature of signatures)
      for (const haystack of haystacks) expect(haystack.includes(signature)).toBe(false);
  });

  it('seals addresses at one length and mail at padded sizes, for a key that names nobody', () => {
    const emails = [
      ...rows('member_emails'),
      ...(scenario.beforeDeletion.get('member_emails') ?? []),
    ];
    // Addresses of several lengths...
    const lengths = emails.map((row) => a().openAddress(String(row.address_sealed))!.length);
    expect(new Set(lengths).size).toBeGreaterThan(2);
    // ...sealed at one.
    expect(new Set(emails.map((row) => String(row.address_sealed).length)).size).toBe(1);

    const queued = [...rows('mail_queue'), ...(scenario.beforeDeletion.get('mail_queue') ?? [])];
    expect(queued.length).toBeGreaterThan(3);
    const padded = new Set([1024, 4096, 16_384, 65_536, 262_144]);
    const sizes = new Set<number>();
    for (const row of queued) {
      // Nonce and GCM tag, then the mail padded to 1 KB, 4 KB, 16 KB...
      const size = Buffer.from(String(row.sealed), 'base64url').length - 12 - 16;
      expect(padded.has(size), `a mail sealed at ${size} bytes`).toBe(true);
      sizes.add(size);
    }
    // Mails of different lengths share sizes: a confirmation and a digest look alike.
    const mailLengths = new Set(queued.map((row) => JSON.stringify(opened(row)).length));
    expect(mailLengths.size).toBeGreaterThan(sizes.size);

    const ids = new Set(Object.values(scenario.members).map((m) => String(m.id)));
    for (const row of queued) {
      expect(row.recipient).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(ids.has(String(row.recipient))).toBe(false);
      // Whose it is, the secret tells.
      expect(
        Object.values(scenario.members).some((m) => a().mailRecipient(m.id) === row.recipient),
      ).toBe(true);
    }
  });

  it('keeps the mail tables to the columns they need, and the queue free of names and titles', () => {
    // Nothing more than these columns: a column added here must be checked for what it links.
    const shapes = {
      member_emails: [
        'user_id',
        'address_sealed',
        'address_hash',
        'confirmed_at',
        'frequency',
        'next_mail_at',
        'stories_mailed_id',
        'replies_mailed_id',
        'created_at',
      ],
      email_tokens: [
        'token_hash',
        'user_id',
        'purpose',
        'address_hash',
        'expires_at',
        'used_at',
        'created_at',
      ],
      vendor_follows: ['user_id', 'vendor_id', 'since_thread_id', 'created_at'],
      mail_queue: [
        'id',
        'recipient',
        'sealed',
        'attempts',
        'next_attempt_at',
        'locked_until',
        'last_error',
        'failed_at',
        'created_at',
      ],
    };
    for (const [table, columns] of Object.entries(shapes)) {
      expect(rows(table).length, table).toBeGreaterThan(0);
      for (const row of rows(table))
        expect(
          Object.keys(row)
            .filter((column) => column !== '$xmin')
            .sort(),
          table,
        ).toEqual([...columns].sort());
    }
    const titles = rows('threads').map((row) => String(row.title).toLowerCase());
    const usernames = rows('users').map((row) => String(row.username).toLowerCase());
    for (const row of [
      ...rows('mail_queue'),
      ...(scenario.beforeDeletion.get('mail_queue') ?? []),
    ]) {
      // The mail itself names its stories; the row does not.
      const sealed = opened(row);
      for (const column of ['recipient', 'sealed', 'last_error']) {
        const value = String(row[column] ?? '').toLowerCase();
        for (const title of titles)
          expect(value.includes(title), `${column}: ${title}`).toBe(false);
      }
      const errorWords = new Set(
        String(row.last_error ?? '')
          .toLowerCase()
          .split(/[^a-z0-9.]+/),
      );
      for (const username of usernames) expect(errorWords.has(username)).toBe(false);
      expect(sealed.subject.length).toBeGreaterThan(0);
    }
    // Alma's queued mail tells of a story by its title, sealed.
    const almaMail = rows('mail_queue').find(
      (row) => row.recipient === a().mailRecipient(memberId('alma')),
    )!;
    expect(opened(almaMail).text).toContain('Admina on Fabrikam, by name');
  });

  it("ties no member's address, follows, links or mail to their anonymous posts", () => {
    const pairs = new Set(mail().newestAt.map((n) => `${n.stories}:${n.replies}`));
    const storyMarks = new Set(mail().newestAt.map((n) => n.stories));
    let checked = 0;
    for (const name of living()) {
      const id = memberId(name);
      const own = scenario.anonymous.filter((p) => p.author === name);
      const ownStories = new Set(own.filter((p) => p.kind === 'thread').map((p) => p.id));
      // Their anonymous replies, and every reply in their anonymous stories (what mail to them
      // is about).
      const ownReplies = new Set([
        ...own.filter((p) => p.kind === 'reply').map((p) => p.id),
        ...rows('replies')
          .filter((row) => ownStories.has(row.thread_id as number))
          .map((row) => row.id as number),
      ]);
      const ownTitles = rows('threads')
        .filter((row) => ownStories.has(row.id as number))
        .map((row) => String(row.title).toLowerCase());
      const keys = keyedValues(id);
      for (const { table, row } of mailRows(dump, name)) {
        const label = `${name}: ${table}`;
        if (table === 'member_emails') {
          checked++;
          expect(ownStories.has(row.stories_mailed_id as number), label).toBe(false);
          expect(ownReplies.has(row.replies_mailed_id as number), label).toBe(false);
          // The forum's newest story and reply when the marks were set (nothing when unconfirmed).
          const pair = `${String(row.stories_mailed_id)}:${String(row.replies_mailed_id)}`;
          if (row.confirmed_at === null) expect(pair, label).toBe('0:0');
          else expect(pairs.has(pair), `${label} ${pair}`).toBe(true);
        }
        if (table === 'vendor_follows') {
          checked++;
          expect(ownStories.has(row.since_thread_id as number), label).toBe(false);
          expect(storyMarks.has(row.since_thread_id as number), label).toBe(true);
        }
        for (const [column, value] of Object.entries(row)) {
          if (column === '$xmin' || value == null) continue;
          const allowed = table === 'mail_queue' && column === 'recipient';
          if (!allowed) expect(keys.has(text(value)), `${label}.${column}`).toBe(false);
          const lower = text(value).toLowerCase();
          for (const title of ownTitles)
            expect(lower.includes(title), `${label}.${column}`).toBe(false);
        }
      }
    }
    expect(checked).toBeGreaterThan(8);
    // Eve's mail listed replies in her own anonymous stories; her mark is the forum's newest reply.
    const eve = rows('member_emails').find((row) => row.user_id === memberId('eve'))!;
    const eveStories = new Set(
      scenario.anonymous.filter((p) => p.author === 'eve' && p.kind === 'thread').map((p) => p.id),
    );
    for (const reply of mail().eveMailedReplies)
      expect(
        eveStories.has(rows('replies').find((row) => row.id === reply)!.thread_id as number),
      ).toBe(true);
    expect(mail().eveMailedReplies).not.toContain(eve.replies_mailed_id);
    const alma = rows('member_emails').find((row) => row.user_id === memberId('alma'))!;
    expect([alma.stories_mailed_id, alma.replies_mailed_id]).toEqual([
      mail().almaLastMail.stories,
      mail().almaLastMail.replies,
    ]);
  });

  it('writes no mail row in the transaction of an anonymous post', () => {
    for (const d of [dump, scenario.beforeDeletion]) {
      const anonymousXids = new Set(
        [...(d.get('threads') ?? []), ...(d.get('replies') ?? [])]
          .filter((row) => row.anonymous === true)
          .map((row) => row.$xmin),
      );
      expect(anonymousXids.size).toBeGreaterThan(0);
      for (const table of ['member_emails', 'email_tokens', 'vendor_follows', 'mail_queue'])
        for (const row of d.get(table) ?? [])
          expect(anonymousXids.has(row.$xmin), `${table} row`).toBe(false);
    }
  });

  it("drops a deleted member's address, follows, links and queued mail", () => {
    const carla = scenario.deleted.id;
    const before = mailRows(scenario.beforeDeletion, 'carla').map(({ table }) => table);
    expect(new Set(before)).toEqual(
      new Set(['member_emails', 'email_tokens', 'vendor_follows', 'mail_queue']),
    );
    expect(before.filter((table) => table === 'mail_queue')).toHaveLength(mail().carlaQueued);
    expect(mailRows(dump, 'carla')).toEqual([]);
    for (const table of ['member_emails', 'email_tokens', 'vendor_follows'])
      expect(rows(table).some((row) => row.user_id === carla)).toBe(false);
    // Her daily digest, queued when she left, never went out.
    expect(
      mail()
        .smtp.to(DUMP_ADDRESSES.carla)
        .map((m) => m.subject),
    ).toEqual(['Confirm your address on Partner Stories']);
  });
});
