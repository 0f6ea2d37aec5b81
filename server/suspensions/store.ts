import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { shuffled, type Anonymity } from '../security/anonymity.js';
import { selectColumns } from '../plugins/member-columns.js';

interface Sealed {
  /** When it ends, in ms since the epoch. */
  until: number;
  reason: string | null;
}

// Every row is padded to this many bytes before sealing, so rows are alike in length.
const SEALED_BYTES = 4096;

/**
 * Suspensions live under a keyed hash of the member, with their end and reason sealed. Every
 * change re-seals and rewrites the whole (small) table in a random order, dropping ended rows:
 * no row's value, time, position or transaction tells which moderation log entry made it, so a
 * dump cannot tie a suspension made through an anonymous post to its author.
 */
export async function changeSuspensions(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  change: (rows: Map<string, Sealed>) => void,
) {
  await sql`lock table suspensions in share row exclusive mode`.execute(trx);
  const rows = new Map<string, Sealed>();
  for (const row of await trx
    .selectFrom('suspensions')
    .select(['subject', 'sealed', 'until'])
    .execute()) {
    const sealed = row.sealed ? anonymity.openData<Sealed>(row.sealed) : null;
    // Rows from before migration 0007 kept their end in the clear.
    const until = sealed?.until ?? (row.until ? new Date(row.until).getTime() : 0);
    if (until > Date.now()) rows.set(row.subject, { until, reason: sealed?.reason ?? null });
  }
  change(rows);
  await trx.deleteFrom('suspensions').execute();
  for (const [subject, sealed] of shuffled([...rows])) {
    await trx
      .insertInto('suspensions')
      .values({ subject, until: null, sealed: anonymity.sealData(sealed, SEALED_BYTES) })
      .execute();
  }
}

/** Suspends a member until `until`; a shorter suspension never cuts a longer one short. */
export async function suspend(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  subject: string,
  until: Date,
  reason: string,
) {
  await changeSuspensions(trx, anonymity, (rows) => {
    const current = rows.get(subject);
    if (current && current.until >= until.getTime()) return;
    rows.set(subject, { until: until.getTime(), reason });
  });
}

/** A subject nobody has: what a suspension of an author who left is filed under. */
export const nobody = () => randomBytes(32).toString('base64url');

/**
 * The member's suspension row, as columns of the statement that reads what every member page
 * needs (plugins/member-columns.ts): the banner and the controls ask for it on every page.
 */
export function suspensionColumns(anonymity: Anonymity, memberId: number) {
  const subject = anonymity.suspensionSubject(memberId);
  return {
    suspension_sealed: sql<
      string | null
    >`(select sealed from suspensions where subject = ${subject})`,
    suspension_until: sql<
      Date | string | null
    >`(select until from suspensions where subject = ${subject})`,
  };
}

interface SuspensionRow {
  suspension_sealed?: unknown;
  suspension_until?: unknown;
}

/** The member's current suspension with its reason, for their own eyes only, from its row. */
export function openSuspension(anonymity: Anonymity, row: SuspensionRow) {
  const box = typeof row.suspension_sealed === 'string' ? row.suspension_sealed : null;
  const sealed = box ? anonymity.openData<Sealed>(box) : null;
  // Rows from before migration 0007 kept their end in the clear.
  const clear = row.suspension_until as Date | string | null | undefined;
  const until = sealed?.until ?? (clear ? new Date(clear).getTime() : 0);
  if (until <= Date.now()) return null;
  return { until: new Date(until), reason: sealed?.reason ?? null };
}

/** The member's current suspension, read on its own (outside a page: commands, tests). */
export async function findSuspension(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  const { rows } = await selectColumns(suspensionColumns(anonymity, memberId)).execute(db);
  return openSuspension(anonymity, rows[0] ?? {});
}
