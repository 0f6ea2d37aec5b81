import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { isAuthor } from '../posts/authors.js';
import type { Anonymity } from '../security/anonymity.js';
import type { Member } from '../security/member.js';

// A double click, or a resend after the browser gave up waiting, posts once: the same member
// sending the same text within a minute gets their first post back.

const DOUBLE_SUBMIT_WINDOW_MS = 60_000;

/**
 * Serializes one member's submissions of a kind until the transaction ends, so that a second
 * request cannot slip past the twin check while the first is still writing.
 */
export async function lockSubmissions(
  trx: Transaction<DB>,
  kind: 'story' | 'reply',
  memberId: number,
) {
  await sql`select pg_advisory_xact_lock(hashtext(${`${kind}-submit:${memberId}`}))`.execute(trx);
}

/** The member's own story with this title and body, sent within the minute. */
export async function findTwin(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  member: Member,
  input: { title: string; body: string },
) {
  const since = new Date(Date.now() - DOUBLE_SUBMIT_WINDOW_MS);
  const candidates = await trx
    .selectFrom('threads')
    .select(['id', 'slug', 'author_id', 'author_tag'])
    .where('created_at', '>=', sinceHour(since))
    .where('title', '=', input.title.trim())
    .where('body_source', '=', input.body)
    .where('deleted_at', 'is', null)
    .execute();
  return candidates.find((candidate) =>
    isAuthor(
      { ...candidate, anonymous: candidate.author_tag !== null },
      candidate.id,
      member,
      anonymity,
    ),
  );
}

/** The member's own reply with this body, as named or as anonymous, sent within the minute. */
export async function findReplyTwin(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  member: Member,
  threadId: number,
  input: { body: string; anonymous: boolean },
) {
  const candidates = await replyTwinCandidates(trx, threadId, input.body).execute();
  return candidates.find(
    (candidate) =>
      candidate.anonymous === input.anonymous && isAuthor(candidate, threadId, member, anonymity),
  );
}

/**
 * The story's replies with this text from the last minute, whoever wrote them: through
 * replies_twin_idx (story, hash of the text, time), so the check reads those replies only, not
 * every reply of the story.
 */
export function replyTwinCandidates(db: Kysely<DB>, threadId: number, body: string) {
  const since = new Date(Date.now() - DOUBLE_SUBMIT_WINDOW_MS);
  return db
    .selectFrom('replies')
    .select(['id', 'anonymous', 'author_id', 'author_tag'])
    .where('thread_id', '=', threadId)
    .where(sql<string>`md5(body_source)`, '=', sql<string>`md5(${body})`)
    .where('created_at', '>=', sinceHour(since))
    .where('body_source', '=', body)
    .where('deleted_at', 'is', null);
}

/** Anonymous posts are timed to the hour: a twin may carry the hour it was sent in. */
const sinceHour = (since: Date) => sql<Date>`date_trunc('hour', ${since}::timestamptz)`;
