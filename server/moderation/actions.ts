import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { HttpError } from '../http-errors.js';
import type { ModerationNotice } from '../notifications/notices.js';
import { notify } from '../notifications/stored.js';
import { authorOf, isAuthor } from '../posts/authors.js';
import { findPost, type Post } from '../posts/lookup.js';
import type { PostKind } from '../posts/vocabulary.js';
import type { Anonymity } from '../security/anonymity.js';
import type { Member } from '../security/member.js';
import { SUSPENSIONS, suspensionEnd } from '../suspensions/rules.js';
import { nobody, suspend } from '../suspensions/store.js';
import { actionTime, appendLog, resolveReports, setLocked } from './queries.js';
import { changeVisibility, logTarget } from './visibility.js';

export const ACTIONS = ['dismiss', 'hide', 'restore', 'lock', 'unlock', 'suspend'] as const;
export type Action = (typeof ACTIONS)[number];

export interface ModerationRequest {
  kind: PostKind;
  postId: number;
  action: Action;
  reason: string;
  /** For a suspension: a key of SUSPENSIONS. */
  duration?: string;
}

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
  request: ModerationRequest,
) {
  await inTransaction(db, async (trx) => {
    const post = await findPost(trx, request.kind, request.postId);
    if (isOwnPost(post, moderator, anonymity))
      throw new HttpError(403, 'This is your own post: another moderator will review it.');
    const log = {
      moderator: moderator.username,
      action: request.action,
      ...logTarget(post),
      reason: request.reason,
      created_at: actionTime(post.anonymous),
    };
    const authorId = authorOf(
      { anonymous: post.anonymous, author_id: post.authorId, author_box: post.authorBox },
      anonymity,
    );
    if (request.action === 'suspend') {
      const length = await suspendAuthor(trx, anonymity, post, authorId, request);
      const named = post.anonymous || authorId === null ? null : await usernameOf(trx, authorId);
      await appendLog(trx, { ...log, member: named, detail: length });
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

async function applyToPost(trx: Transaction<DB>, post: Post, action: Action, reason: string) {
  switch (action) {
    case 'dismiss':
      // Reports found unfounded: a post held only because of them comes back.
      if (post.hidden && post.held)
        await changeVisibility(trx, post, { reason: null, held: false });
      await resolveReports(trx, post);
      return;
    case 'hide':
      if (post.deleted) throw new HttpError(409, 'The author deleted this post already.');
      if (post.hidden && !post.held) throw new HttpError(409, 'This post is hidden already.');
      await changeVisibility(trx, post, { reason, held: false });
      await resolveReports(trx, post);
      return;
    case 'restore':
      if (!post.hidden) throw new HttpError(409, 'This post is not hidden.');
      await changeVisibility(trx, post, { reason: null, held: false });
      await resolveReports(trx, post);
      return;
    case 'lock':
    case 'unlock':
      if (post.kind !== 'thread') throw new HttpError(400, 'Only stories are locked.');
      await setLocked(trx, post.id, action === 'lock', post.anonymous);
      return;
  }
}

/**
 * Suspends a post's author, and returns how long for, as the log says it. The reason is sealed
 * and padded beside the end (rounded to the hour), so the row matches no log entry closely.
 */
async function suspendAuthor(
  trx: Transaction<DB>,
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
  const subject = authorId === null ? nobody() : anonymity.suspensionSubject(authorId);
  await suspend(trx, anonymity, subject, suspensionEnd(length.days), request.reason);
  return length.label;
}

const PAST: Record<string, string> = {
  hide: 'hid',
  restore: 'restored',
  lock: 'locked',
  unlock: 'unlocked',
};

async function moderationNotice(
  trx: Transaction<DB>,
  post: Post,
  action: string,
  reason: string,
): Promise<ModerationNotice> {
  const { title } = await trx
    .selectFrom('threads')
    .select('title')
    .where('id', '=', post.threadId)
    .executeTakeFirstOrThrow();
  return {
    kind: 'moderation',
    action,
    reason,
    threadId: post.threadId,
    ...(post.kind === 'reply' ? { replyId: post.id } : {}),
    title,
  };
}

async function usernameOf(trx: Transaction<DB>, userId: number) {
  const row = await trx
    .selectFrom('users')
    .select('username')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.username ?? null;
}
