import { sql, type Kysely } from 'kysely';
import type { Member } from '../accounts/sessions.js';
import type { DB, ReportReason } from '../db/schema.js';
import { HttpError, notFound } from '../http-errors.js';
import { settleVoices } from '../reputation/aggregates.js';
import { rebuildAggregates } from '../reputation/recompute.js';
import type { Anonymity } from '../security/anonymity.js';
import { syncThreadVendors } from '../threads/queries.js';
import { authorOf, notify } from '../notifications/service.js';
import { adjustStoryCounts } from '../vendors/queries.js';
import {
  appendLog,
  countReporters,
  insertReport,
  resolveReports,
  setHidden,
  setLocked,
  setSuspension,
  type PostKind,
} from './queries.js';

/** Three distinct members reporting one post hide it at once, pending review. */
export const AUTO_HIDE_REPORTERS = 3;
export const AUTO_HIDE_REASON = 'reported by several members, pending review';

interface Post {
  kind: PostKind;
  id: number;
  threadId: number;
  anonymous: boolean;
  authorId: number | null;
  authorBox: string | null;
  hidden: boolean;
  hiddenReason: string | null;
  deleted: boolean;
}

export async function findPost(db: Kysely<DB>, kind: PostKind, id: number): Promise<Post> {
  const row =
    kind === 'thread'
      ? await db
          .selectFrom('threads')
          .select([
            'id',
            'id as thread_id',
            'anonymous',
            'author_id',
            'author_box',
            'hidden_at',
            'hidden_reason',
            'deleted_at',
          ])
          .where('id', '=', id)
          .executeTakeFirst()
      : await db
          .selectFrom('replies')
          .select([
            'id',
            'thread_id',
            'anonymous',
            'author_id',
            'author_box',
            'hidden_at',
            'hidden_reason',
            'deleted_at',
          ])
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw notFound(`There is no such ${kind === 'thread' ? 'story' : 'reply'}.`);
  return {
    kind,
    id: row.id,
    threadId: row.thread_id,
    anonymous: row.anonymous,
    authorId: row.author_id,
    authorBox: row.author_box,
    hidden: row.hidden_at !== null,
    hiddenReason: row.hidden_reason,
    deleted: row.deleted_at !== null,
  };
}

/** Hides or restores a post; a story also leaves or rejoins its vendors' counts and pages. */
async function changeVisibility(db: Kysely<DB>, post: Post, hiddenReason: string | null) {
  await setHidden(db, post.kind, post.id, hiddenReason);
  if (post.kind !== 'thread' || post.deleted) return;
  await syncThreadVendors(db, post.id);
  const vendors = await db
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', post.id)
    .execute();
  await adjustStoryCounts(
    db,
    vendors.map((row) => row.vendor_id),
    hiddenReason === null ? 1 : -1,
  );
  await settleVoices(db, post.id);
}

/**
 * Files a member's report. Returns false when they had reported this post already. At the third
 * distinct reporter the post is hidden at once, in the same transaction, and logged.
 */
export async function fileReport(
  db: Kysely<DB>,
  anonymity: Anonymity,
  reporter: Member,
  kind: PostKind,
  postId: number,
  reason: ReportReason,
  note: string | null,
) {
  return db.transaction().execute(async (trx) => {
    const post = await findPost(trx, kind, postId);
    if (post.deleted) throw new HttpError(409, 'This post was deleted by its author already.');
    const filed = await insertReport(trx, { kind, postId, reporterId: reporter.id, reason, note });
    if (!filed) return false;
    if (!post.hidden && (await countReporters(trx, kind, postId)) >= AUTO_HIDE_REPORTERS) {
      await changeVisibility(trx, post, AUTO_HIDE_REASON);
      await appendLog(trx, {
        moderator: 'system',
        action: 'auto-hide',
        ...target(post),
        reason: AUTO_HIDE_REASON,
      });
    }
    return true;
  });
}

function target(post: Post) {
  return post.kind === 'thread'
    ? { thread_id: post.id }
    : { reply_id: post.id, thread_id: post.threadId };
}

export const ACTIONS = ['dismiss', 'hide', 'restore', 'lock', 'unlock', 'suspend'] as const;
export type Action = (typeof ACTIONS)[number];
export const SUSPENSIONS: Record<string, { days: number | null; label: string }> = {
  '1': { days: 1, label: '1 day' },
  '7': { days: 7, label: '7 days' },
  '30': { days: 30, label: '30 days' },
  permanent: { days: null, label: 'permanently' },
};
const FOREVER = new Date('9999-12-31T00:00:00Z');

/**
 * Carries out a moderator's action on a post, resolves its open reports where the action settles
 * them, and logs it, in one transaction. A suspension through an anonymous post reaches its
 * author through the sealed id; neither the moderator nor the log learns who it is.
 */
export async function moderatePost(
  db: Kysely<DB>,
  anonymity: Anonymity,
  moderator: Member,
  request: { kind: PostKind; postId: number; action: Action; reason: string; duration?: string },
) {
  await db.transaction().execute(async (trx) => {
    const post = await findPost(trx, request.kind, request.postId);
    const log = {
      moderator: moderator.username,
      action: request.action,
      ...target(post),
      reason: request.reason,
    };
    const authorId = authorOf(
      { anonymous: post.anonymous, author_id: post.authorId, author_box: post.authorBox },
      anonymity,
    );
    switch (request.action) {
      case 'dismiss':
        // Reports found unfounded: a post hidden only because of them comes back.
        if (post.hidden && post.hiddenReason === AUTO_HIDE_REASON)
          await changeVisibility(trx, post, null);
        await resolveReports(trx, post.kind, post.id);
        break;
      case 'hide':
        if (post.deleted) throw new HttpError(409, 'The author deleted this post already.');
        if (post.hidden) throw new HttpError(409, 'This post is hidden already.');
        await changeVisibility(trx, post, request.reason);
        await resolveReports(trx, post.kind, post.id);
        break;
      case 'restore':
        if (!post.hidden) throw new HttpError(409, 'This post is not hidden.');
        await changeVisibility(trx, post, null);
        await resolveReports(trx, post.kind, post.id);
        break;
      case 'lock':
      case 'unlock':
        if (post.kind !== 'thread') throw new HttpError(400, 'Only stories are locked.');
        await setLocked(trx, post.id, request.action === 'lock');
        break;
      case 'suspend': {
        const length = SUSPENSIONS[request.duration ?? ''];
        if (!length)
          throw new HttpError(400, 'Choose a suspension of 1, 7 or 30 days, or permanent.');
        if (authorId === null)
          throw new HttpError(409, 'The author of this post has left the forum.');
        const until =
          length.days === null ? FOREVER : new Date(Date.now() + length.days * 86_400_000);
        await setSuspension(trx, anonymity.suspensionSubject(authorId), until);
        const named = post.anonymous ? null : await usernameOf(trx, authorId);
        await appendLog(trx, { ...log, member: named, detail: length.label });
        const notice = {
          kind: 'suspension' as const,
          until: length.days === null ? 'permanently' : `for ${length.label}`,
          reason: request.reason,
        };
        await notify(trx, anonymity, authorId, post.anonymous, notice);
        return;
      }
    }
    await appendLog(trx, log);
    if (authorId !== null && request.action !== 'dismiss') {
      const notice = await moderationNotice(trx, post, PAST[request.action]!, request.reason);
      await notify(trx, anonymity, authorId, post.anonymous, notice);
    }
  });
}

const PAST: Record<string, string> = {
  hide: 'hid',
  restore: 'restored',
  lock: 'locked',
  unlock: 'unlocked',
  dismiss: 'dismissed reports on',
};

async function moderationNotice(db: Kysely<DB>, post: Post, action: string, reason: string) {
  const { title } = await db
    .selectFrom('threads')
    .select('title')
    .where('id', '=', post.threadId)
    .executeTakeFirstOrThrow();
  return {
    kind: 'moderation' as const,
    action,
    reason,
    threadId: post.threadId,
    ...(post.kind === 'reply' ? { replyId: post.id } : {}),
    title,
  };
}

async function usernameOf(db: Kysely<DB>, userId: number) {
  const row = await db
    .selectFrom('users')
    .select('username')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.username ?? null;
}

/** When the member's suspension ends, or null when they are not suspended. */
export async function suspendedUntil(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  const row = await db
    .selectFrom('suspensions')
    .select('until')
    .where('subject', '=', anonymity.suspensionSubject(memberId))
    .where('until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.until ?? null;
}

export function isPermanent(until: Date) {
  return until.getUTCFullYear() >= 9999;
}

/**
 * Merges a duplicate vendor into another in one transaction: its stories, names and slug move
 * (the old slug redirects), each moved story's voice is re-keyed for the surviving vendor, and
 * the aggregates are rebuilt from the rows.
 */
export async function mergeVendors(
  db: Kysely<DB>,
  anonymity: Anonymity,
  moderator: Member,
  request: { from: string; into: string; reason: string },
) {
  await db.transaction().execute(async (trx) => {
    const find = (slug: string) =>
      trx
        .selectFrom('vendors')
        .select(['id', 'name', 'slug'])
        .where('slug', '=', slug)
        .executeTakeFirst();
    const [from, into] = [await find(request.from), await find(request.into)];
    if (!from || !into)
      throw new HttpError(
        400,
        'Name both vendors by the slug in their address (e.g. "dell" in /vendors/dell).',
      );
    if (from.id === into.id) throw new HttpError(400, 'A vendor cannot be merged into itself.');

    const rows = await trx
      .selectFrom('thread_vendors')
      .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
      .select(['threads.id', 'threads.anonymous', 'threads.author_id', 'threads.author_box'])
      .where('thread_vendors.vendor_id', '=', from.id)
      .execute();
    for (const row of rows) {
      const both = await trx
        .selectFrom('thread_vendors')
        .select('thread_id')
        .where('thread_id', '=', row.id)
        .where('vendor_id', '=', into.id)
        .executeTakeFirst();
      if (both) {
        await trx
          .deleteFrom('thread_vendors')
          .where('thread_id', '=', row.id)
          .where('vendor_id', '=', from.id)
          .execute();
        continue;
      }
      const memberId = authorOf(row, anonymity);
      const voiceKey =
        memberId === null
          ? `orphan:${row.id}`
          : anonymity.voiceKey(into.id, memberId, row.anonymous);
      await trx
        .updateTable('thread_vendors')
        .set({ vendor_id: into.id, voice_key: voiceKey, counted: false })
        .where('thread_id', '=', row.id)
        .where('vendor_id', '=', from.id)
        .execute();
    }
    await trx
      .updateTable('vendor_names')
      .set({ vendor_id: into.id })
      .where('vendor_id', '=', from.id)
      .execute();
    await trx
      .updateTable('vendor_redirects')
      .set({ vendor_id: into.id })
      .where('vendor_id', '=', from.id)
      .execute();
    await trx
      .insertInto('vendor_redirects')
      .values({ old_slug: from.slug, vendor_id: into.id })
      .execute();
    await sql`update threads t set vendor_tags = v.tags from (
        select tv.thread_id, jsonb_agg(jsonb_build_object('id', v.id, 'name', v.name, 'slug', v.slug) order by tv.position) as tags
        from thread_vendors tv join vendors v on v.id = tv.vendor_id
        where tv.thread_id in (select thread_id from thread_vendors where vendor_id = ${into.id})
        group by tv.thread_id) v
      where v.thread_id = t.id`.execute(trx);
    await trx.deleteFrom('vendors').where('id', '=', from.id).execute();
    await rebuildAggregates(trx);
    await appendLog(trx, {
      moderator: moderator.username,
      action: 'merge-vendor',
      vendor: `${from.name} (${from.slug}) into ${into.name} (${into.slug})`,
      reason: request.reason,
    });
  });
}
