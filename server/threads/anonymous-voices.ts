import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Anonymity } from '../security/anonymity.js';
import { readLedger } from '../security/anonymous-ledger.js';
import type { Member } from '../security/member.js';
import { listThreadVendorIds } from './story-queries.js';

// One counted anonymous story per member and vendor. The check goes through a keyed hash of
// (member, vendor) that references no story, so the rule links nothing in a dump, and a second
// story is refused rather than replacing the first (which the public counts would show).

/** Refused, to its author only: a second anonymous story about a vendor they hold one about. */
export class SecondAnonymousStory extends Error {
  constructor(
    readonly vendorName: string,
    readonly existing: { id: number; slug: string; hidden: boolean } | null,
  ) {
    super(`You already have an anonymous story about ${vendorName}.`);
  }
}

/** Claims the member's anonymous voice for each vendor, or fails with SecondAnonymousStory. */
export async function claimAnonymousVoices(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  member: Member,
  vendors: { id: number; name: string }[],
) {
  for (const vendor of vendors) {
    const claimed = await trx
      .insertInto('anonymous_voices')
      .values({ voice: anonymity.anonymousVoice(vendor.id, member.id) })
      .onConflict((oc) => oc.doNothing())
      .returning('voice')
      .executeTakeFirst();
    if (!claimed)
      throw new SecondAnonymousStory(
        vendor.name,
        await findOwnAnonymousStory(trx, anonymity, member.id, vendor.id),
      );
  }
}

/** The member's live anonymous story about the vendor, read through their sealed ledger. */
async function findOwnAnonymousStory(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  memberId: number,
  vendorId: number,
) {
  const { threads } = await readLedger(trx, anonymity, memberId);
  if (threads.length === 0) return null;
  const row = await trx
    .selectFrom('threads')
    .innerJoin('thread_vendors', 'thread_vendors.thread_id', 'threads.id')
    .select([
      'threads.id',
      'threads.slug',
      sql<boolean>`threads.hidden_at is not null`.as('hidden'),
    ])
    .where('threads.id', 'in', threads)
    .where('thread_vendors.vendor_id', '=', vendorId)
    .where('threads.deleted_at', 'is', null)
    .orderBy('threads.id', 'desc')
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Gives back the voices a deleted anonymous story held, so that its author may tell another.
 * After a vendor merge the member may hold two stories about one vendor: the claim stays while
 * another of them stands.
 */
export async function releaseAnonymousVoices(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  memberId: number,
  threadId: number,
) {
  const { threads } = await readLedger(trx, anonymity, memberId);
  const stillTold = await vendorsOfLiveStories(
    trx,
    threads.filter((id) => id !== threadId),
  );
  const vendorIds = (await listThreadVendorIds(trx, threadId)).filter((id) => !stillTold.has(id));
  if (vendorIds.length === 0) return;
  await trx
    .deleteFrom('anonymous_voices')
    .where(
      'voice',
      'in',
      vendorIds.map((vendorId) => anonymity.anonymousVoice(vendorId, memberId)),
    )
    .execute();
}

async function vendorsOfLiveStories(trx: Transaction<DB>, threadIds: number[]) {
  if (threadIds.length === 0) return new Set<number>();
  const rows = await trx
    .selectFrom('thread_vendors')
    .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
    .select('thread_vendors.vendor_id')
    .where('threads.id', 'in', threadIds)
    .where('threads.deleted_at', 'is', null)
    .execute();
  return new Set(rows.map((row) => row.vendor_id));
}
