import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { PostKind } from '../posts/vocabulary.js';

/** The member's votes on one story and the replies shown with it, in one query. */
export async function listOwnVotes(
  db: Kysely<DB>,
  userId: number,
  threadId: number,
  replyIds: number[],
) {
  const rows = await db
    .selectFrom('thread_votes')
    .select([sql<PostKind>`'thread'`.as('kind'), 'post_id', 'value'])
    .where('post_id', '=', threadId)
    .where('user_id', '=', userId)
    .$if(replyIds.length > 0, (query) =>
      query.unionAll(
        db
          .selectFrom('reply_votes')
          .select([sql<PostKind>`'reply'`.as('kind'), 'post_id', 'value'])
          .where('user_id', '=', userId)
          .where('post_id', 'in', replyIds),
      ),
    )
    .execute();
  const thread = rows.find((row) => row.kind === 'thread')?.value ?? 0;
  const replies = new Map(
    rows.filter((row) => row.kind === 'reply').map((row) => [row.post_id, row.value]),
  );
  return { thread, replies };
}
