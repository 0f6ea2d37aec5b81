import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { hourStart } from '../format.js';
import type { Anonymity } from '../security/anonymity.js';
import type { ModerationNotice, Notice } from './notices.js';

export const thisHour = () => hourStart(new Date());

/**
 * Stores a notice about one of the member's named posts. Notices about anonymous posts are never
 * stored: they are derived from the posts when their author reads them, so no row ties them
 * together or to the member.
 */
export async function notify(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  notice: ModerationNotice,
) {
  await db
    .insertInto('notifications')
    .values({
      id: randomBytes(16).toString('base64url'),
      recipient: anonymity.noticeRecipient(memberId),
      sealed: anonymity.sealData(notice, 1024),
      created_at: thisHour(),
    })
    .execute();
}

/** What the member's notices are derived from, in one query. */
export async function listStored(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  limit: number,
) {
  const rows = await db
    .selectFrom('notifications')
    .select(['sealed', 'created_at', 'read_at'])
    .where('recipient', '=', anonymity.noticeRecipient(memberId))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    notice: anonymity.openData<Notice>(row.sealed),
    created_at: new Date(row.created_at),
    read: row.read_at !== null,
  }));
}

export async function deleteNotices(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  await db
    .deleteFrom('notifications')
    .where('recipient', '=', anonymity.noticeRecipient(memberId))
    .execute();
}
