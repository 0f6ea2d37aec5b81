import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hotRankSql } from '../votes/ranking.js';
import type { Anonymity } from '../security/anonymity.js';

const randomKey = () => randomBytes(32).toString('base64url');

/**
 * Deletes a member in one transaction. Their named posts stay, shown as "[deleted member]";
 * their anonymous posts stay anonymous, and every keyed link back to them is replaced by a random
 * value: the sealed id, the owner hint, the per-thread tags (pseudonyms within a thread still
 * match each other) and the voice keys; their notifications go. Their votes are taken back,
 * so scores stay honest.
 */
export async function deleteMember(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  await db.transaction().execute(async (trx) => {
    await takeBackVotes(trx, memberId);
    await unlinkAnonymousPosts(trx, anonymity, memberId);
    await trx
      .deleteFrom('suspensions')
      .where('subject', '=', anonymity.suspensionSubject(memberId))
      .execute();
    // Sessions, reports and votes go with the row; named posts keep a null author.
    await trx.deleteFrom('users').where('id', '=', memberId).execute();
  });
}

async function takeBackVotes(db: Kysely<DB>, memberId: number) {
  await sql`update threads t set score = t.score - v.value,
              hot_rank = ${hotRankSql(sql<number>`t.score - v.value`, sql<Date>`t.created_at`)}
            from thread_votes v where v.post_id = t.id and v.user_id = ${memberId}`.execute(db);
  await sql`update thread_vendors tv set score = t.score, hot_rank = t.hot_rank
            from threads t, thread_votes v
            where t.id = tv.thread_id and v.post_id = t.id and v.user_id = ${memberId}`.execute(db);
  await sql`update replies r set score = r.score - v.value
            from reply_votes v where v.post_id = r.id and v.user_id = ${memberId}`.execute(db);
}

async function unlinkAnonymousPosts(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  const hint = anonymity.ownerHint(memberId);
  const mine = (threadId: number, tag: string | null) =>
    tag === anonymity.authorTag(threadId, memberId);
  const threads = (
    await db
      .selectFrom('threads')
      .select(['id', 'author_tag'])
      .where('owner_hint', '=', hint)
      .execute()
  ).filter((row) => mine(row.id, row.author_tag));
  const replies = (
    await db
      .selectFrom('replies')
      .select(['thread_id', 'author_tag'])
      .where('owner_hint', '=', hint)
      .execute()
  ).filter((row) => mine(row.thread_id, row.author_tag));
  const threadIds = new Set([
    ...threads.map((row) => row.id),
    ...replies.map((row) => row.thread_id),
  ]);
  for (const threadId of threadIds) {
    const tag = anonymity.authorTag(threadId, memberId);
    const replacement = { author_tag: randomKey(), author_box: randomKey(), owner_hint: null };
    await db
      .updateTable('threads')
      .set(replacement)
      .where('id', '=', threadId)
      .where('author_tag', '=', tag)
      .execute();
    await db
      .updateTable('replies')
      .set(replacement)
      .where('thread_id', '=', threadId)
      .where('author_tag', '=', tag)
      .execute();
  }
  const named = await db
    .selectFrom('threads')
    .select('id')
    .where('author_id', '=', memberId)
    .execute();
  const stories = [
    ...threads.map((row) => ({ id: row.id, anonymous: true })),
    ...named.map((row) => ({ id: row.id, anonymous: false })),
  ];
  for (const story of stories) {
    const vendors = await db
      .selectFrom('thread_vendors')
      .select('vendor_id')
      .where('thread_id', '=', story.id)
      .execute();
    for (const { vendor_id: vendorId } of vendors) {
      // One new key for all of the member's stories about the vendor: still one voice.
      await db
        .updateTable('thread_vendors')
        .set({ voice_key: `gone:${randomKey()}` })
        .where('vendor_id', '=', vendorId)
        .where('voice_key', '=', anonymity.voiceKey(vendorId, memberId, story.anonymous))
        .execute();
    }
  }
}
