import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { authorVendor } from '../posts/authors.js';
import { LIST_COLUMNS } from '../threads/thread-list.js';

/** What the desk lists of a story: what every list of stories shows (threads/thread-list.eta). */
const DESK_COLUMNS = [
  ...LIST_COLUMNS,
  'threads.vendor_tags as vendors',
  'users.username as author_username',
] as const;

function vendorStories(db: Kysely<DB>, vendorId: number) {
  return db
    .selectFrom('thread_vendors')
    .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
    .leftJoin('users', 'users.id', 'threads.author_id')
    .select(DESK_COLUMNS)
    .select(authorVendor())
    .where('thread_vendors.vendor_id', '=', vendorId)
    .where('thread_vendors.visible', '=', true);
}

/**
 * The vendor's visible stories that still take replies and have no official response from it,
 * oldest first (the longest waiting on top); one row more than the page.
 */
export function listUnanswered(db: Kysely<DB>, vendorId: number, offset: number, limit: number) {
  return vendorStories(db, vendorId)
    .where('threads.locked_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('replies')
            .select('replies.id')
            .whereRef('replies.thread_id', '=', 'thread_vendors.thread_id')
            .where('replies.official_vendor_id', '=', vendorId)
            .where('replies.deleted_at', 'is', null),
        ),
      ),
    )
    .orderBy('thread_vendors.thread_id', 'asc')
    .offset(offset)
    .limit(limit + 1)
    .execute();
}

/** The vendor's answered stories whose authors say it did not resolve them, newest first. */
export function listNotResolved(db: Kysely<DB>, vendorId: number, offset: number, limit: number) {
  return vendorStories(db, vendorId)
    .where('thread_vendors.tally_resolution', '=', 'not-resolved')
    .orderBy('thread_vendors.thread_id', 'desc')
    .offset(offset)
    .limit(limit + 1)
    .execute();
}
