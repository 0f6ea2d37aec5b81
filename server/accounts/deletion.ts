import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hotRankSql } from '../votes/ranking.js';
import type { Anonymity } from '../security/anonymity.js';
import { deleteLedger, readLedger } from '../security/anonymous-ledger.js';
import { deleteNotices } from '../notifications/service.js';

/**
 * Deletes a member in one transaction. Their named posts stay, shown as "[deleted member]".
 * Their anonymous posts stay exactly as the public sees them (the stored pseudonym does not
 * change), while every link back to the member is destroyed: the per-thread tags and sealed ids
 * become random values of the same length (one tag per thread, as the member's posts there
 * shared one), and the ledger, the anonymous voice claims, the suspension and the stored notices
 * go. Their votes are taken back, so scores stay honest.
 */
export async function deleteMember(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  await db.transaction().execute(async (trx) => {
    await takeBackVotes(trx, memberId);
    await unlinkAnonymousPosts(trx, anonymity, memberId);
    await forgetNamedVoices(trx, anonymity, memberId);
    await trx
      .deleteFrom('suspensions')
      .where('subject', '=', anonymity.suspensionSubject(memberId))
      .execute();
    await deleteNotices(trx, anonymity, memberId);
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
  const ledger = await readLedger(db, anonymity, memberId);
  const threadIds = new Set(ledger.threads);
  if (ledger.replies.length > 0) {
    const rows = await db
      .selectFrom('replies')
      .select('thread_id')
      .distinct()
      .where('id', 'in', ledger.replies)
      .execute();
    for (const row of rows) threadIds.add(row.thread_id);
  }
  for (const threadId of threadIds) {
    const tag = anonymity.authorTag(threadId, memberId);
    const { authorTag, authorBox } = anonymity.unlinked();
    const replacement = { author_tag: authorTag, author_box: authorBox };
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
  if (ledger.threads.length > 0) {
    const vendors = await db
      .selectFrom('thread_vendors')
      .select('vendor_id')
      .distinct()
      .where('thread_id', 'in', ledger.threads)
      .execute();
    const voices = vendors.map((row) => anonymity.anonymousVoice(row.vendor_id, memberId));
    if (voices.length > 0)
      await db.deleteFrom('anonymous_voices').where('voice', 'in', voices).execute();
  }
  await deleteLedger(db, anonymity, memberId);
}

/** The member's named stories keep one voice per vendor, under a key nobody can recompute. */
async function forgetNamedVoices(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  const vendors = await db
    .selectFrom('thread_vendors')
    .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
    .select('thread_vendors.vendor_id')
    .distinct()
    .where('threads.author_id', '=', memberId)
    .execute();
  for (const { vendor_id: vendorId } of vendors) {
    const { authorTag: randomKey } = anonymity.unlinked();
    await db
      .updateTable('thread_vendors')
      .set({ voice_key: randomKey })
      .where('vendor_id', '=', vendorId)
      .where('voice_key', '=', anonymity.namedVoice(vendorId, memberId))
      .execute();
  }
}
