import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PostKind, ReportReason } from '../posts/vocabulary.js';

export const column = (kind: PostKind) => (kind === 'thread' ? 'thread_id' : 'reply_id');

/** Files a report; returns false when this member already reported the post. */
/** Whether the member reported this post already (one report per member and post, ever). */
export async function hasReported(
  db: Kysely<DB>,
  kind: PostKind,
  postId: number,
  reporterId: number,
) {
  const row = await db
    .selectFrom('reports')
    .select('id')
    .where(column(kind), '=', postId)
    .where('reporter_id', '=', reporterId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertReport(
  db: Kysely<DB>,
  report: {
    kind: PostKind;
    postId: number;
    reporterId: number;
    reason: ReportReason;
    note: string | null;
  },
): Promise<boolean> {
  const result = await db
    .insertInto('reports')
    .values({
      [column(report.kind)]: report.postId,
      reporter_id: report.reporterId,
      reason: report.reason,
      note: report.note,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return result !== undefined;
}

/**
 * The members with an open report on the post: whether their account is old enough, and whether
 * they have a visible named post (anonymous ones are looked up through their sealed ledger).
 */
export function listOpenReporters(
  db: Kysely<DB>,
  kind: PostKind,
  postId: number,
  minAgeDays: number,
) {
  return db
    .selectFrom('reports')
    .innerJoin('users', 'users.id', 'reports.reporter_id')
    .select([
      'users.id',
      sql<boolean>`users.created_at <= now() - make_interval(days => ${minAgeDays})`.as(
        'old_enough',
      ),
      sql<boolean>`exists (select 1 from threads t where t.author_id = users.id
          and t.deleted_at is null and t.hidden_at is null)
        or exists (select 1 from replies r where r.author_id = users.id
          and r.deleted_at is null and r.hidden_at is null)`.as('has_named_post'),
    ])
    .where(`reports.${column(kind)}`, '=', postId)
    .where('reports.resolved_at', 'is', null)
    .execute();
}

/** When an action happened: to the hour on an anonymous post, as the post's own times are. */
export function actionTime(anonymous: boolean) {
  return anonymous ? sql<Date>`date_trunc('hour', now())` : sql<Date>`now()`;
}

export async function resolveReports(
  db: Kysely<DB>,
  post: { kind: PostKind; id: number; anonymous: boolean },
) {
  const { kind, id: postId } = post;
  await db
    .updateTable('reports')
    .set({ resolved_at: actionTime(post.anonymous) })
    .where(column(kind), '=', postId)
    .where('resolved_at', 'is', null)
    .execute();
}

/** Hides a post (held for review when reports alone hid it) or, with a null reason, shows it. */
export async function setHidden(
  db: Kysely<DB>,
  kind: PostKind,
  postId: number,
  next: { reason: string | null; held: boolean },
) {
  const table = kind === 'thread' ? 'threads' : 'replies';
  const hidden = next.reason !== null;
  await db
    .updateTable(table)
    .set({
      hidden_at: hidden
        ? sql`case when anonymous then date_trunc('hour', now()) else now() end`
        : null,
      hidden_reason: next.reason,
      held_for_review: hidden && next.held,
    })
    .where('id', '=', postId)
    .execute();
}

export async function setLocked(
  db: Kysely<DB>,
  threadId: number,
  locked: boolean,
  anonymous: boolean,
) {
  await db
    .updateTable('threads')
    .set({ locked_at: locked ? actionTime(anonymous) : null })
    .where('id', '=', threadId)
    .execute();
}

export interface LogEntry {
  moderator: string;
  action: string;
  thread_id?: number | null;
  reply_id?: number | null;
  vendor?: string | null;
  member?: string | null;
  detail?: string | null;
  reason: string;
  created_at?: ReturnType<typeof actionTime>;
}

export async function appendLog(db: Kysely<DB>, entry: LogEntry) {
  await db.insertInto('moderation_log').values(entry).execute();
}

export function listLog(
  db: Kysely<DB>,
  filter: { moderator?: string; action?: string; offset: number; limit: number },
) {
  return db
    .selectFrom('moderation_log')
    .select([
      'id',
      'moderator',
      'action',
      'thread_id',
      'reply_id',
      'vendor',
      'member',
      'detail',
      'reason',
      'created_at',
    ])
    .$if(Boolean(filter.moderator), (query) => query.where('moderator', '=', filter.moderator!))
    .$if(Boolean(filter.action), (query) => query.where('action', '=', filter.action!))
    .orderBy('id', 'desc')
    .offset(filter.offset)
    .limit(filter.limit + 1)
    .execute();
}

/** A column of the reported post: the reply's own when a reply was reported, else the story's. */
function postColumn(
  name:
    | 'anonymous'
    | 'author_tag'
    | 'pseudonym'
    | 'author_id'
    | 'hidden_at'
    | 'held_for_review'
    | 'deleted_at'
    | 'body_html',
) {
  return sql`case when reports.reply_id is not null then ${sql.ref(`replies.${name}`)} else ${sql.ref(`threads.${name}`)} end`;
}

/** Open reports grouped by post: auto-hidden first, then most reporters, then oldest. */
export function listQueue(db: Kysely<DB>, newAccountDays: number, offset: number, limit: number) {
  return db
    .selectFrom('reports')
    .innerJoin('users as reporters', 'reporters.id', 'reports.reporter_id')
    .leftJoin('replies', 'replies.id', 'reports.reply_id')
    .innerJoin('threads', (join) =>
      join.on(sql<boolean>`threads.id = coalesce(reports.thread_id, replies.thread_id)`),
    )
    .select([
      'reports.thread_id as reported_thread_id',
      'reports.reply_id',
      'threads.id as thread_id',
      'threads.title',
      'threads.slug',
      'threads.vendor_tags as vendors',
      'threads.locked_at',
      sql<string>`max(${postColumn('body_html')})`.as('body_html'),
      sql<boolean>`bool_or(${postColumn('anonymous')})`.as('anonymous'),
      sql<string | null>`max(${postColumn('author_tag')})`.as('author_tag'),
      sql<string | null>`max(${postColumn('pseudonym')})`.as('pseudonym'),
      sql<boolean>`bool_or(${postColumn('held_for_review')})`.as('held_for_review'),
      sql<number>`count(distinct reports.reporter_id) filter (where reporters.created_at > now() - make_interval(days => ${newAccountDays}))::int`.as(
        'new_reporters',
      ),
      sql<number | null>`max(${postColumn('author_id')})`.as('author_id'),
      sql<Date | null>`max(${postColumn('hidden_at')})`.as('hidden_at'),
      sql<Date | null>`max(${postColumn('deleted_at')})`.as('deleted_at'),
      sql<number>`count(distinct reports.reporter_id)::int`.as('reporters'),
      sql<Date>`min(reports.created_at)`.as('first_reported_at'),
      sql<
        { reason: string; note: string | null }[]
      >`json_agg(json_build_object('reason', reports.reason, 'note', reports.note) order by reports.id)`.as(
        'reports',
      ),
    ])
    .where('reports.resolved_at', 'is', null)
    .groupBy(['reports.thread_id', 'reports.reply_id', 'threads.id'])
    .orderBy(sql`max(${postColumn('hidden_at')}) is null`)
    .orderBy(sql`count(distinct reports.reporter_id)`, 'desc')
    .orderBy(sql`min(reports.created_at)`)
    .offset(offset)
    .limit(limit + 1)
    .execute();
}
