import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { hotRankSql } from '../threads/ranking.js';
import { copyToVendorRows } from '../reputation/story-standing.js';
import { settleRepresentativeVoices } from '../reputation/aggregates.js';
import { shuffled, type Anonymity } from '../security/anonymity.js';
import { deleteLedger, readLedger } from '../security/anonymous-ledger.js';
import { deleteNotices } from '../notifications/stored.js';
import { dropMemberMail } from '../mail/queue.js';

/** Other members' anonymous posts re-sealed with a deletion, so that it does not stand out. */
const COVER = 200;

/**
 * Deletes a member in one transaction. Their named posts stay, shown as "[deleted member]".
 * Their anonymous posts stay exactly as the public sees them (the stored pseudonym does not
 * change), while every link back to the member is destroyed: the per-thread tags become random
 * values of the same length (one per thread, as the member's posts there shared one), each
 * sealed id a random value of the same length, and the ledger, the anonymous voice claims, the
 * suspension and the stored notices go. Their votes are taken back, so scores stay honest.
 *
 * The rows this transaction rewrites all carry its transaction id, so it also re-seals up to
 * COVER other anonymous posts, in one shuffled order: a reader of system columns or of the
 * tables' physical order sees a crowd, not the member's posts.
 */
export async function deleteMember(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  await inTransaction(db, async (trx) => {
    // First, so that a digest being written for the member (it holds this row) finishes
    // before the queued mail is dropped below, and none starts after.
    await trx.deleteFrom('member_emails').where('user_id', '=', memberId).execute();
    await takeBackVotes(trx, memberId);
    await endRepresentation(trx, memberId);
    await unlinkAnonymousPosts(trx, anonymity, memberId);
    await forgetNamedVoices(trx, anonymity, memberId);
    await trx
      .deleteFrom('suspensions')
      .where('subject', '=', anonymity.suspensionSubject(memberId))
      .execute();
    await deleteNotices(trx, anonymity, memberId);
    // Mail not yet sent goes; the links and the follows go with the row.
    await dropMemberMail(trx, anonymity, memberId);
    // Sessions, reports and votes go with the row; named posts keep a null author.
    await trx.deleteFrom('users').where('id', '=', memberId).execute();
  });
}

/**
 * A representative who leaves stops representing first, so that their named stories about the
 * vendor, kept as "[deleted member]", are counted as the rule for anyone else's would be.
 */
async function endRepresentation(trx: Transaction<DB>, memberId: number) {
  const represented = await trx
    .deleteFrom('representatives')
    .where('user_id', '=', memberId)
    .returning('vendor_id')
    .executeTakeFirst();
  if (represented) await settleRepresentativeVoices(trx, memberId, represented.vendor_id);
}

async function takeBackVotes(trx: Transaction<DB>, memberId: number) {
  await sql`update threads t set score = t.score - v.value,
              hot_rank = ${hotRankSql(sql<number>`t.score - v.value`, sql<Date>`t.created_at`)}
            from thread_votes v where v.post_id = t.id and v.user_id = ${memberId}`.execute(trx);
  const voted = await trx
    .selectFrom('thread_votes')
    .select('post_id')
    .where('user_id', '=', memberId)
    .execute();
  await copyToVendorRows(
    trx,
    voted.map((row) => row.post_id),
  );
  await sql`update replies r set score = r.score - v.value
            from reply_votes v where v.post_id = r.id and v.user_id = ${memberId}`.execute(trx);
}

type Table = 'threads' | 'replies';
interface Rewrite {
  table: Table;
  id: number;
  authorTag?: string;
  authorBox: string;
}

async function unlinkAnonymousPosts(trx: Transaction<DB>, anonymity: Anonymity, memberId: number) {
  const ledger = await readLedger(trx, anonymity, memberId, { forUpdate: true });
  const own = async (table: Table, ids: number[]) =>
    ids.length === 0
      ? []
      : (
          await trx
            .selectFrom(table)
            .select(
              table === 'threads'
                ? ['id', 'id as thread_id', 'author_tag']
                : ['id', 'thread_id', 'author_tag'],
            )
            .where('id', 'in', ids)
            .where('anonymous', '=', true)
            .execute()
        ).filter((row) => row.author_tag === anonymity.authorTag(row.thread_id, memberId));
  const mine = [
    ...(await own('threads', ledger.threads)).map((row) => ({ table: 'threads' as const, ...row })),
    ...(await own('replies', ledger.replies)).map((row) => ({ table: 'replies' as const, ...row })),
  ];
  const tagOfThread = new Map<number, string>();
  const rewrites: Rewrite[] = mine.map((row) => {
    if (!tagOfThread.has(row.thread_id))
      tagOfThread.set(row.thread_id, anonymity.unlinked().authorTag);
    return {
      table: row.table,
      id: row.id,
      authorTag: tagOfThread.get(row.thread_id)!,
      authorBox: anonymity.unlinked().authorBox,
    };
  });
  rewrites.push(...(await coverRewrites(trx, anonymity, mine)));
  for (const rewrite of shuffled(rewrites)) {
    await trx
      .updateTable(rewrite.table)
      .set({
        author_box: rewrite.authorBox,
        ...(rewrite.authorTag ? { author_tag: rewrite.authorTag } : {}),
      })
      .where('id', '=', rewrite.id)
      .execute();
  }
  await releaseAnonymousVoices(trx, anonymity, memberId, ledger.threads);
  await deleteLedger(trx, anonymity, memberId);
}

/** Fresh seals of the same ids for a random sample of everyone else's anonymous posts. */
async function coverRewrites(
  db: Kysely<DB>,
  anonymity: Anonymity,
  exclude: { table: Table; id: number }[],
): Promise<Rewrite[]> {
  const rewrites: Rewrite[] = [];
  for (const table of ['threads', 'replies'] as const) {
    const skip = exclude.filter((row) => row.table === table).map((row) => row.id);
    const rows = await db
      .selectFrom(table)
      .select(['id', 'author_box'])
      .where('anonymous', '=', true)
      .$if(skip.length > 0, (query) => query.where('id', 'not in', skip))
      .orderBy(sql`random()`)
      .limit(COVER / 2)
      .execute();
    for (const row of rows) {
      const author = anonymity.open(row.author_box ?? '');
      rewrites.push({
        table,
        id: row.id,
        authorBox: author === null ? anonymity.unlinked().authorBox : anonymity.seal(author),
      });
    }
  }
  return rewrites;
}

async function releaseAnonymousVoices(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  memberId: number,
  threadIds: number[],
) {
  if (threadIds.length === 0) return;
  const vendors = await trx
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .distinct()
    .where('thread_id', 'in', threadIds)
    .execute();
  const voices = vendors.map((row) => anonymity.anonymousVoice(row.vendor_id, memberId));
  if (voices.length > 0)
    await trx.deleteFrom('anonymous_voices').where('voice', 'in', voices).execute();
}

/** The member's named stories keep one voice per vendor, under a key nobody can recompute. */
async function forgetNamedVoices(trx: Transaction<DB>, anonymity: Anonymity, memberId: number) {
  const vendors = await trx
    .selectFrom('thread_vendors')
    .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
    .select('thread_vendors.vendor_id')
    .distinct()
    .where('threads.author_id', '=', memberId)
    .execute();
  for (const { vendor_id: vendorId } of vendors) {
    await trx
      .updateTable('thread_vendors')
      .set({ voice_key: anonymity.unlinked().authorTag })
      .where('vendor_id', '=', vendorId)
      .where('voice_key', '=', anonymity.namedVoice(vendorId, memberId))
      .execute();
  }
}
