import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Anonymity } from '../security/anonymity.js';
import type { MailMessage } from './message.js';

// Sealed mail is padded to 1 KB, 4 KB, 16 KB…: its size says little about what it holds.
const SEALED_MIN_BYTES = 1024;

/** Queues a mail for a member; in the caller's transaction, so a write and its mail go together. */
export async function enqueueMail(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  message: MailMessage,
) {
  await db
    .insertInto('mail_queue')
    .values({
      recipient: anonymity.mailRecipient(memberId),
      sealed: anonymity.sealData(message, SEALED_MIN_BYTES),
    })
    .execute();
}

export interface ClaimedMail {
  id: number;
  attempts: number;
  sealed: string;
}

/**
 * Claims up to `limit` mails that are due and not held by another worker, for `leaseMs`. The
 * claim is one statement, and rows another worker is claiming are skipped, not waited for
 * (FOR UPDATE SKIP LOCKED): two workers never claim the same mail, and a worker that dies while
 * sending leaves its mails to be tried again when the lease ends.
 */
export async function claimDueMail(
  db: Kysely<DB>,
  limit: number,
  leaseMs: number,
): Promise<ClaimedMail[]> {
  const { rows } = await sql<ClaimedMail>`
    update mail_queue
       set locked_until = now() + ${leaseMs} * interval '1 millisecond', attempts = attempts + 1
     where id in (select id from mail_queue
                   where failed_at is null and next_attempt_at <= now()
                     and (locked_until is null or locked_until <= now())
                   order by next_attempt_at, id
                   limit ${limit}
                   for update skip locked)
    returning id, attempts, sealed`.execute(db);
  return rows;
}

export async function markSent(db: Kysely<DB>, id: number) {
  await db.deleteFrom('mail_queue').where('id', '=', id).execute();
}

/** A failed try: again after `retryMs` doubled per try, or given up after `maxAttempts`. */
export async function markFailed(
  db: Kysely<DB>,
  mail: ClaimedMail,
  error: string,
  { retryMs, maxAttempts }: { retryMs: number; maxAttempts: number },
) {
  const giveUp = mail.attempts >= maxAttempts;
  const waitMs = Math.min(retryMs * 2 ** (mail.attempts - 1), 24 * 3_600_000);
  await db
    .updateTable('mail_queue')
    .set({
      locked_until: null,
      last_error: error,
      next_attempt_at: sql<Date>`now() + ${waitMs} * interval '1 millisecond'`,
      failed_at: giveUp ? sql<Date>`now()` : null,
    })
    .where('id', '=', mail.id)
    .execute();
  return giveUp;
}

/** Drops every mail queued for a member (they deleted their account or their address). */
export async function dropMemberMail(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  await db
    .deleteFrom('mail_queue')
    .where('recipient', '=', anonymity.mailRecipient(memberId))
    .execute();
}

/** Mail given up a month ago goes: an operator had that long to look at why. */
export async function purgeFailedMail(db: Kysely<DB>) {
  await db
    .deleteFrom('mail_queue')
    .where('failed_at', '<', sql<Date>`now() - interval '30 days'`)
    .execute();
}
