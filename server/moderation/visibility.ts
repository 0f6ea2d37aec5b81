import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Post } from '../posts/lookup.js';
import { settleResponses } from '../reputation/responses.js';
import { restandStory } from '../reputation/story-standing.js';
import { setHidden } from './queries.js';

/**
 * Hides (held for review, or by a moderator's decision) or restores a post. A story leaves or
 * rejoins its vendors' pages; its vendors' numbers change only when a moderator's decision
 * changes whether it counts, never because of reports alone.
 */
export async function changeVisibility(
  trx: Transaction<DB>,
  post: Post,
  next: { reason: string | null; held: boolean },
) {
  await setHidden(trx, post.kind, post.id, next);
  // A vendor's official response counts as its answer while it is not removed.
  if (post.kind !== 'thread') return settleResponses(trx, post.threadId);
  await restandStory(trx, post.id, post, {
    deleted: post.deleted,
    hidden: next.reason !== null,
    held: next.held,
  });
}

/** The moderation log's columns that name the post. */
export function logTarget(post: Post) {
  return post.kind === 'thread'
    ? { thread_id: post.id }
    : { reply_id: post.id, thread_id: post.threadId };
}
