import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Anonymity } from './anonymity.js';

/**
 * A member's own anonymous posts, so that their account page, notices and the one-voice rule can
 * find them. It lives in one row per member, keyed by a hash of the member made with ANON_SECRET
 * and sealed with a key from it, padded to a few fixed sizes: no column on an anonymous post
 * takes one value for all of one author's posts, and a dump without the secret shows only how
 * many members ever posted anonymously, roughly how much, and nothing of what.
 */
export interface Ledger {
  threads: number[];
  replies: number[];
}

interface SealedLedger {
  t: number[];
  r: number[];
}

const EMPTY: Ledger = { threads: [], replies: [] };
const MIN_BYTES = 512;

/**
 * The member's ledger; with `forUpdate`, locked until the transaction ends, so that no
 * anonymous post slips past (account deletion).
 */
export async function readLedger(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  { forUpdate = false } = {},
): Promise<Ledger> {
  const row = await db
    .selectFrom('anonymous_ledgers')
    .select('sealed')
    .where('owner', '=', anonymity.ledgerOwner(memberId))
    .$if(forUpdate, (query) => query.forUpdate())
    .executeTakeFirst();
  return openLedger(anonymity, row?.sealed);
}

export function openLedger(anonymity: Anonymity, sealed: string | null | undefined): Ledger {
  const data = sealed ? anonymity.openData<SealedLedger>(sealed) : null;
  return data ? { threads: data.t, replies: data.r } : EMPTY;
}

/** Adds a post to the member's ledger; call it in the transaction that writes the post. */
export async function recordAnonymousPost(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  memberId: number,
  post: { kind: 'thread' | 'reply'; id: number },
) {
  const owner = anonymity.ledgerOwner(memberId);
  const current = await lockLedger(trx, owner);
  const ledger = openLedger(anonymity, current);
  const next: SealedLedger = {
    t: post.kind === 'thread' ? [...ledger.threads, post.id] : ledger.threads,
    r: post.kind === 'reply' ? [...ledger.replies, post.id] : ledger.replies,
  };
  await trx
    .updateTable('anonymous_ledgers')
    .set({ sealed: anonymity.sealData(next, MIN_BYTES) })
    .where('owner', '=', owner)
    .execute();
}

/** The member's ledger row, locked for this transaction; created empty when missing. */
async function lockLedger(db: Kysely<DB>, owner: string) {
  const find = () =>
    db
      .selectFrom('anonymous_ledgers')
      .select('sealed')
      .where('owner', '=', owner)
      .forUpdate()
      .executeTakeFirst();
  const row = await find();
  if (row) return row.sealed;
  await db
    .insertInto('anonymous_ledgers')
    .values({ owner, sealed: '' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return (await find())?.sealed ?? '';
}

/** Forgets the member's anonymous posts: nothing keyed by them is left to find them by. */
export async function deleteLedger(trx: Transaction<DB>, anonymity: Anonymity, memberId: number) {
  await trx
    .deleteFrom('anonymous_ledgers')
    .where('owner', '=', anonymity.ledgerOwner(memberId))
    .execute();
}
