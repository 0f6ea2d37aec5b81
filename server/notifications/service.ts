import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Anonymity } from '../security/anonymity.js';

/** What a notice says. Sealed in the database; only its recipient's pages open it. */
export type Notice =
  | { kind: 'reply'; threadId: number; replyId: number; title: string; actor: string }
  | {
      kind: 'moderation';
      action: string;
      reason: string;
      threadId: number;
      replyId?: number;
      title: string;
    }
  | { kind: 'suspension'; until: string; reason: string };

/** The author of a post, in the clear or opened from its sealed id; null for a deleted member. */
export function authorOf(
  post: { anonymous: boolean; author_id: number | null; author_box: string | null },
  anonymity: Anonymity,
): number | null {
  return post.anonymous ? anonymity.open(post.author_box ?? '') : post.author_id;
}

const thisHour = () => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);

/** Leaves a notice for a member, about one of their named or anonymous posts. */
export async function notify(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  aboutAnonymousPost: boolean,
  notice: Notice,
) {
  await db
    .insertInto('notifications')
    .values({
      id: randomBytes(16).toString('base64url'),
      recipient: anonymity.notificationRecipient(memberId, aboutAnonymousPost),
      sealed: anonymity.sealData(notice),
      created_at: thisHour(),
    })
    .execute();
}

const recipients = (anonymity: Anonymity, memberId: number) => [
  anonymity.notificationRecipient(memberId, false),
  anonymity.notificationRecipient(memberId, true),
];

export async function countUnread(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('recipient', 'in', recipients(anonymity, memberId))
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listNotices(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  offset: number,
  limit: number,
) {
  const rows = await db
    .selectFrom('notifications')
    .select(['id', 'sealed', 'created_at', 'read_at'])
    .where('recipient', 'in', recipients(anonymity, memberId))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .offset(offset)
    .limit(limit + 1)
    .execute();
  return rows.map(({ sealed, ...row }) => ({ ...row, notice: anonymity.openData<Notice>(sealed) }));
}

export async function markAllRead(db: Kysely<DB>, anonymity: Anonymity, memberId: number) {
  await db
    .updateTable('notifications')
    .set({ read_at: sql`date_trunc('hour', now())` })
    .where('recipient', 'in', recipients(anonymity, memberId))
    .where('read_at', 'is', null)
    .execute();
}
