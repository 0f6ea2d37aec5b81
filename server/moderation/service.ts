import type { Kysely } from 'kysely';
import type { Member } from '../accounts/sessions.js';
import type { DB, ReportReason } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { HttpError, notFound } from '../http-errors.js';
import { settleVoices } from '../reputation/aggregates.js';
import type { Anonymity } from '../security/anonymity.js';
import { syncThreadVendors } from '../threads/queries.js';
import { isAuthor } from '../threads/authors.js';
import { authorOf, notify } from '../notifications/service.js';
import { adjustStoryCounts } from '../vendors/queries.js';
import {
  actionTime,
  appendLog,
  insertReport,
  listOpenReporters,
  resolveReports,
  setHidden,
  setLocked,
  type PostKind,
} from './queries.js';
import { findSuspension, nobody, suspend } from './suspensions.js';

export const AUTO_HIDE_REASON = 'reported by several members, pending review';

export interface ReportPolicy {
  /** Established reporters that hide a post until a moderator decides. */
  autoHideReporters: number;
  /** How old a reporter's account must be to count, besides having a visible post. */
  reporterMinAgeDays: number;
}

interface Post {
  kind: PostKind;
  id: number;
  threadId: number;
  anonymous: boolean;
  authorId: number | null;
  authorTag: string | null;
  authorBox: string | null;
  hidden: boolean;
  held: boolean;
  deleted: boolean;
}

export async function findPost(db: Kysely<DB>, kind: PostKind, id: number): Promise<Post> {
  const columns = [
    'anonymous',
    'author_id',
    'author_tag',
    'author_box',
    'hidden_at',
    'held_for_review',
    'deleted_at',
  ] as const;
  const row =
    kind === 'thread'
      ? await db
          .selectFrom('threads')
          .select(['id', 'id as thread_id', ...columns])
          .where('id', '=', id)
          .executeTakeFirst()
      : await db
          .selectFrom('replies')
          .select(['id', 'thread_id', ...columns])
          .where('id', '=', id)
          .executeTakeFirst();
  if (!row) throw notFound(`There is no such ${kind === 'thread' ? 'story' : 'reply'}.`);
  return {
    kind,
    id: row.id,
    threadId: row.thread_id,
    anonymous: row.anonymous,
    authorId: row.author_id,
    authorTag: row.author_tag,
    authorBox: row.author_box,
    hidden: row.hidden_at !== null,
    held: row.held_for_review,
    deleted: row.deleted_at !== null,
  };
}

/** Whether a story counts for its vendors: not deleted, not hidden by a moderator's decision. */
const counts = (post: { deleted: boolean; hidden: boolean; held: boolean }) =>
  !post.deleted && (!post.hidden || post.held);

/**
 * Hides (held for review, or by a moderator's decision) or restores a post. A story leaves or
 * rejoins its vendors' pages; its vendors' numbers change only when a moderator's decision
 * changes whether it counts, never because of reports alone.
 */
async function changeVisibility(
  db: Kysely<DB>,
  post: Post,
  next: { reason: string | null; held: boolean },
) {
  await setHidden(db, post.kind, post.id, next);
  if (post.kind !== 'thread') return;
  await syncThreadVendors(db, post.id);
  const before = counts(post);
  const after = counts({ deleted: post.deleted, hidden: next.reason !== null, held: next.held });
  if (before === after) return;
  const vendors = await db
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', post.id)
    .execute();
  await adjustStoryCounts(
    db,
    vendors.map((row) => row.vendor_id),
    after ? 1 : -1,
  );
  await settleVoices(db, post.id);
}

/**
 * Files a member's report. Returns false when they had reported this post already. When enough
 * established members (old enough, with a visible post of their own) have reported it, the
 * post is held for review at once, in the same transaction, and logged; new accounts' reports
 * go to the queue but hide nothing, so a handful of fresh accounts cannot bury a story.
 */
export async function fileReport(
  db: Kysely<DB>,
  anonymity: Anonymity,
  reporter: Member,
  report: { kind: PostKind; postId: number; reason: ReportReason; note: string | null },
  policy: ReportPolicy,
) {
  return inTransaction(db, async (trx) => {
    const post = await findPost(trx, report.kind, report.postId);
    if (post.deleted) throw new HttpError(409, 'This post was deleted by its author already.');
    const filed = await insertReport(trx, { ...report, reporterId: reporter.id });
    if (!filed || post.hidden) return filed;
    const reporters = await listOpenReporters(trx, post.kind, post.id, policy.reporterMinAgeDays);
    const established = await countEstablished(trx, anonymity, reporters);
    if (established < policy.autoHideReporters) return true;
    await changeVisibility(trx, post, { reason: AUTO_HIDE_REASON, held: true });
    await appendLog(trx, {
      moderator: 'system',
      action: 'auto-hide',
      ...target(post),
      reason: AUTO_HIDE_REASON,
      created_at: actionTime(post.anonymous),
    });
    return true;
  });
}

/**
 * Reporters old enough who have posted: a visible named post, or any anonymous post (their
 * ledger exists). Whether their anonymous posts are visible is not asked, or a moderator could
 * hide candidate posts and learn from the auto-hide whose they were. Two queries in all.
 */
async function countEstablished(
  db: Kysely<DB>,
  anonymity: Anonymity,
  reporters: { id: number; old_enough: boolean; has_named_post: boolean }[],
) {
  const old = reporters.filter((reporter) => reporter.old_enough);
  const silent = old.filter((reporter) => !reporter.has_named_post);
  const owners = new Map(silent.map((reporter) => [anonymity.ledgerOwner(reporter.id), reporter]));
  const withLedger =
    owners.size === 0
      ? []
      : await db
          .selectFrom('anonymous_ledgers')
          .select('owner')
          .where('owner', 'in', [...owners.keys()])
          .execute();
  return old.length - silent.length + withLedger.length;
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
const HOUR = 3_600_000;

/** Whether the moderator wrote the post, named or anonymously: they may not judge it. */
export function isOwnPost(post: Post, moderator: Member, anonymity: Anonymity) {
  return isAuthor(
    { anonymous: post.anonymous, author_id: post.authorId, author_tag: post.authorTag },
    post.threadId,
    moderator,
    anonymity,
  );
}

/**
 * Carries out a moderator's action on a post, resolves its open reports where the action settles
 * them, and logs it, in one transaction. A suspension through an anonymous post reaches its
 * author through the sealed id; neither the moderator nor the log learns who it is. Actions on
 * anonymous posts are timed to the hour, like the posts, so their times match no visit.
 */
export async function moderatePost(
  db: Kysely<DB>,
  anonymity: Anonymity,
  moderator: Member,
  request: { kind: PostKind; postId: number; action: Action; reason: string; duration?: string },
) {
  await inTransaction(db, async (trx) => {
    const post = await findPost(trx, request.kind, request.postId);
    if (isOwnPost(post, moderator, anonymity))
      throw new HttpError(403, 'This is your own post: another moderator will review it.');
    const log = {
      moderator: moderator.username,
      action: request.action,
      ...target(post),
      reason: request.reason,
      created_at: actionTime(post.anonymous),
    };
    const authorId = authorOf(
      { anonymous: post.anonymous, author_id: post.authorId, author_box: post.authorBox },
      anonymity,
    );
    if (request.action === 'suspend') {
      await suspendAuthor(trx, anonymity, post, authorId, request);
      const length = SUSPENSIONS[request.duration ?? '']!;
      const named = post.anonymous || authorId === null ? null : await usernameOf(trx, authorId);
      await appendLog(trx, { ...log, member: named, detail: length.label });
      return;
    }
    await applyToPost(trx, post, request.action, request.reason);
    await appendLog(trx, log);
    // Notices about anonymous posts are derived from the posts when their author reads them.
    if (authorId !== null && !post.anonymous && request.action !== 'dismiss') {
      const notice = await moderationNotice(trx, post, PAST[request.action]!, request.reason);
      await notify(trx, anonymity, authorId, notice);
    }
  });
}

async function applyToPost(db: Kysely<DB>, post: Post, action: Action, reason: string) {
  switch (action) {
    case 'dismiss':
      // Reports found unfounded: a post held only because of them comes back.
      if (post.hidden && post.held) await changeVisibility(db, post, { reason: null, held: false });
      await resolveReports(db, post);
      return;
    case 'hide':
      if (post.deleted) throw new HttpError(409, 'The author deleted this post already.');
      if (post.hidden && !post.held) throw new HttpError(409, 'This post is hidden already.');
      await changeVisibility(db, post, { reason, held: false });
      await resolveReports(db, post);
      return;
    case 'restore':
      if (!post.hidden) throw new HttpError(409, 'This post is not hidden.');
      await changeVisibility(db, post, { reason: null, held: false });
      await resolveReports(db, post);
      return;
    case 'lock':
    case 'unlock':
      if (post.kind !== 'thread') throw new HttpError(400, 'Only stories are locked.');
      await setLocked(db, post.id, action === 'lock', post.anonymous);
      return;
  }
}

/**
 * Suspends a post's author. The end is rounded up to the hour, and the reason is sealed and
 * padded beside it, so the row matches no moderation log entry more closely than by the hour.
 */
async function suspendAuthor(
  db: Kysely<DB>,
  anonymity: Anonymity,
  post: Post,
  authorId: number | null,
  request: { reason: string; duration?: string },
) {
  const length = SUSPENSIONS[request.duration ?? ''];
  if (!length) throw new HttpError(400, 'Choose a suspension of 1, 7 or 30 days, or permanent.');
  // A named post shows that its author left; an anonymous one must not, not even to moderators.
  if (authorId === null && !post.anonymous)
    throw new HttpError(409, 'The author of this post has left the forum.');
  const until =
    length.days === null
      ? FOREVER
      : new Date(Math.ceil((Date.now() + length.days * 86_400_000) / HOUR) * HOUR);
  const subject = authorId === null ? nobody() : anonymity.suspensionSubject(authorId);
  await suspend(db, anonymity, subject, until, request.reason);
}

const PAST: Record<string, string> = {
  hide: 'hid',
  restore: 'restored',
  lock: 'locked',
  unlock: 'unlocked',
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
export { findSuspension };

export async function suspendedUntil(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  return (await findSuspension(db, anonymity, memberId))?.until ?? null;
}

export function isPermanent(until: Date) {
  return until.getUTCFullYear() >= 9999;
}
