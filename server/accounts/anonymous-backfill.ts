import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { rebuildAggregates } from '../reputation/recompute.js';
import type { Anonymity } from '../security/anonymity.js';
import { recordAnonymousPost } from '../security/anonymous-ledger.js';

const BATCH = 500;

/**
 * Completes migration 0007 for anonymous posts written before it, which needs ANON_SECRET: each
 * gets its stored pseudonym (the one it always showed), a place in its author's sealed ledger,
 * and its author's claim on its vendors. Then the aggregates are rebuilt, since anonymous stories
 * now count one by one. Runs at start; does nothing once every anonymous post has a pseudonym.
 */
export async function backfillAnonymousPosts(db: Kysely<DB>, anonymity: Anonymity) {
  let changed = false;
  for (const table of ['threads', 'replies'] as const) {
    for (;;) {
      const rows = await db
        .selectFrom(table)
        .select(['id', 'author_tag', 'author_box'])
        .where('anonymous', '=', true)
        .where('pseudonym', 'is', null)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) break;
      changed = true;
      await db.transaction().execute(async (trx) => {
        for (const row of rows) await backfillPost(trx, anonymity, table, row);
      });
    }
  }
  if (changed) await rebuildAggregates(db);
}

async function backfillPost(
  db: Kysely<DB>,
  anonymity: Anonymity,
  table: 'threads' | 'replies',
  row: { id: number; author_tag: string | null; author_box: string | null },
) {
  await db
    .updateTable(table)
    .set({ pseudonym: anonymity.pseudonym(row.author_tag ?? '') })
    .where('id', '=', row.id)
    .execute();
  const memberId = anonymity.open(row.author_box ?? '');
  if (memberId === null) return; // a deleted member's post: nothing links it any more
  const kind = table === 'threads' ? 'thread' : 'reply';
  await recordAnonymousPost(db, anonymity, memberId, { kind, id: row.id });
  if (kind !== 'thread') return;
  const vendors = await db
    .selectFrom('thread_vendors')
    .select('vendor_id')
    .where('thread_id', '=', row.id)
    .execute();
  for (const { vendor_id: vendorId } of vendors) {
    await db
      .insertInto('anonymous_voices')
      .values({ voice: anonymity.anonymousVoice(vendorId, memberId) })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
