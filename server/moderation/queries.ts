import { sql, type Kysely } from 'kysely';
import type { DB, ReportReason } from '../db/schema.js';

export type PostKind = 'thread' | 'reply';
export const column = (kind: PostKind) => (kind === 'thread' ? 'thread_id' : 'reply_id');

/** Files a report; returns false when this member already reported the post. */
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

export async function countReporters(db: Kysely<DB>, kind: PostKind, postId: number) {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.count<number>('reporter_id').distinct().as('n'))
    .where(column(kind), '=', postId)
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function resolveReports(db: Kysely<DB>, kind: PostKind, postId: number) {
  await db
    .updateTable('reports')
    .set({ resolved_at: sql`now()` })
    .where(column(kind), '=', postId)
    .where('resolved_at', 'is', null)
    .execute();
}

export async function setHidden(
  db: Kysely<DB>,
  kind: PostKind,
  postId: number,
  reason: string | null,
) {
  const table = kind === 'thread' ? 'threads' : 'replies';
  await db
    .updateTable(table)
    .set({ hidden_at: reason === null ? null : sql`now()`, hidden_reason: reason })
    .where('id', '=', postId)
    .execute();
}

export async function setLocked(db: Kysely<DB>, threadId: number, locked: boolean) {
  await db
    .updateTable('threads')
    .set({ locked_at: locked ? sql`now()` : null })
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
  name: 'anonymous' | 'author_tag' | 'author_id' | 'hidden_at' | 'deleted_at' | 'body_html',
) {
  return sql`case when reports.reply_id is not null then ${sql.ref(`replies.${name}`)} else ${sql.ref(`threads.${name}`)} end`;
}

/** Open reports grouped by post: auto-hidden first, then most reporters, then oldest. */
export function listQueue(db: Kysely<DB>, offset: number, limit: number) {
  return db
    .selectFrom('reports')
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

export async function setSuspension(db: Kysely<DB>, subject: string, until: Date) {
  await db
    .insertInto('suspensions')
    .values({ subject, until })
    // A shorter suspension never cuts a longer one short.
    .onConflict((oc) =>
      oc.column('subject').doUpdateSet({ until: sql`greatest(suspensions.until, excluded.until)` }),
    )
    .execute();
}
