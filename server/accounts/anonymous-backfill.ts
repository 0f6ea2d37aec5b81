import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { changeSuspensions } from '../suspensions/store.js';
import { rebuildAggregates } from '../reputation/recompute.js';
import type { Anonymity } from '../security/anonymity.js';
import { recordAnonymousPost } from '../security/anonymous-ledger.js';

const FINGERPRINT = 'anon-secret-fingerprint';
const PENDING = 'pending-upgrade';

export class WrongSecretError extends Error {
  constructor(detail: string) {
    super(
      `ANON_SECRET is not the secret this forum's anonymous posts were written with (${detail}). ` +
        'Start it with the original ANON_SECRET: with another one, nobody could edit their ' +
        'anonymous posts and suspensions would miss their authors.',
    );
    this.name = 'WrongSecretError';
  }
}

/**
 * Runs at every start, before the forum serves: refuses an ANON_SECRET other than the one the
 * database was written with (a keyed fingerprint is kept in forum_state), and completes
 * migration 0007 once for anonymous posts written before it, which needs the secret.
 */
export async function backfillAnonymousPosts(db: Kysely<DB>, anonymity: Anonymity) {
  const state = await db.selectFrom('forum_state').select(['name', 'value']).execute();
  const fingerprint = state.find((row) => row.name === FINGERPRINT)?.value;
  if (fingerprint !== undefined && fingerprint !== anonymity.fingerprint())
    throw new WrongSecretError('its fingerprint differs');
  await db.transaction().execute(async (trx) => {
    // Locked, so that of several instances starting at once only one upgrades.
    const pending = state.some((row) => row.name === PENDING)
      ? await trx
          .selectFrom('forum_state')
          .select('name')
          .where('name', '=', PENDING)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (pending) {
      await upgradeAnonymousPosts(trx, anonymity);
      await trx.deleteFrom('forum_state').where('name', '=', PENDING).execute();
    }
    if (fingerprint === undefined)
      await trx
        .insertInto('forum_state')
        .values({ name: FINGERPRINT, value: anonymity.fingerprint() })
        .onConflict((oc) => oc.doNothing())
        .execute();
  });
}

/**
 * Every anonymous post gets its stored pseudonym (the one it always showed), a fresh box of the
 * one sealed width (older boxes' lengths followed the author's id), a place in its author's
 * sealed ledger and its author's claim on its vendors; a deleted member's post gets random
 * values of the same lengths. Suspensions are sealed, old per-member voice keys of deleted
 * members get the shape of all others, and the aggregates are rebuilt, since anonymous stories
 * now count one by one and stories held by reports still count.
 */
async function upgradeAnonymousPosts(trx: Transaction<DB>, anonymity: Anonymity) {
  let posts = 0;
  let opened = 0;
  for (const table of ['threads', 'replies'] as const) {
    const rows = await trx
      .selectFrom(table)
      .select(['id', 'author_tag', 'author_box', 'pseudonym'])
      .where('anonymous', '=', true)
      .orderBy('id')
      .execute();
    for (const row of rows) {
      posts += 1;
      if (await upgradePost(trx, anonymity, table, row)) opened += 1;
    }
  }
  if (posts > 0 && opened === 0) throw new WrongSecretError('it opens no anonymous post');
  await changeSuspensions(trx, anonymity, () => {});
  await reshapeOldVoiceKeys(trx, anonymity);
  await rebuildAggregates(trx);
}

/** Returns whether the post's sealed author opened with this secret. */
async function upgradePost(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  table: 'threads' | 'replies',
  row: {
    id: number;
    author_tag: string | null;
    author_box: string | null;
    pseudonym: string | null;
  },
) {
  const memberId = anonymity.open(row.author_box ?? '');
  await trx
    .updateTable(table)
    .set({
      pseudonym: row.pseudonym ?? anonymity.pseudonym(row.author_tag ?? ''),
      author_box: memberId === null ? anonymity.unlinked().authorBox : anonymity.seal(memberId),
    })
    .where('id', '=', row.id)
    .execute();
  if (memberId === null) return false;
  const kind = table === 'threads' ? 'thread' : 'reply';
  await recordAnonymousPost(trx, anonymity, memberId, { kind, id: row.id });
  if (kind === 'thread') {
    const vendors = await trx
      .selectFrom('thread_vendors')
      .select('vendor_id')
      .where('thread_id', '=', row.id)
      .execute();
    for (const { vendor_id: vendorId } of vendors)
      await trx
        .insertInto('anonymous_voices')
        .values({ voice: anonymity.anonymousVoice(vendorId, memberId) })
        .onConflict((oc) => oc.doNothing())
        .execute();
  }
  return true;
}

/** "gone:…" and "orphan:…" keys of deleted members become random keys of the usual length. */
async function reshapeOldVoiceKeys(trx: Transaction<DB>, anonymity: Anonymity) {
  const { rows } = await sql<{ voice_key: string }>`
    select distinct voice_key from thread_vendors
    where voice_key like 'gone:%' or voice_key like 'orphan:%'`.execute(trx);
  for (const { voice_key: old } of rows)
    await trx
      .updateTable('thread_vendors')
      .set({ voice_key: anonymity.unlinked().authorTag })
      .where('voice_key', '=', old)
      .execute();
}
