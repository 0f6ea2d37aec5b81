import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { renderMarkdown } from '../markdown.js';
import { authorColumns } from '../posts/authors.js';
import type { Anonymity } from '../security/anonymity.js';
import { recordAnonymousPost } from '../security/anonymous-ledger.js';
import type { Member } from '../security/member.js';
import { findReplyTwin, lockSubmissions } from './double-submit.js';
import { insertReply, markReplyDeleted, updateReply } from './reply-queries.js';
import { insertRevision } from './revisions.js';
import { settleResponses } from '../reputation/responses.js';

/**
 * Posts a reply in one transaction. An anonymous one goes into its author's sealed ledger; the
 * story's author learns of it when they read their notices (derived then, never stored). The
 * same member sending the same reply again within a minute gets the first one's id back.
 */
export async function createReply(
  db: Kysely<DB>,
  anonymity: Anonymity,
  member: Member,
  threadId: number,
  input: { body: string; anonymous: boolean },
) {
  const bodyHtml = await renderMarkdown(input.body);
  return inTransaction(db, async (trx) => {
    await lockSubmissions(trx, 'reply', member.id);
    const twin = await findReplyTwin(trx, anonymity, member, threadId, input);
    if (twin) return twin.id;
    const replyId = await insertReply(trx, {
      thread_id: threadId,
      body_source: input.body,
      body_html: bodyHtml,
      ...authorColumns(threadId, member, input.anonymous, anonymity),
    });
    if (input.anonymous)
      await recordAnonymousPost(trx, anonymity, member.id, { kind: 'reply', id: replyId });
    return replyId;
  });
}

/** Saves an edit, keeping the earlier text as a revision. Ownership is the caller's check. */
export async function editReply(
  db: Kysely<DB>,
  previous: {
    id: number;
    body_source: string;
    anonymous: boolean;
    created_at: Date;
    edited_at: Date | null;
  },
  body: string,
) {
  const bodyHtml = await renderMarkdown(body);
  await inTransaction(db, async (trx) => {
    await insertRevision(trx, {
      reply_id: previous.id,
      body_source: previous.body_source,
      created_at: previous.edited_at ?? previous.created_at,
    });
    await updateReply(
      trx,
      previous.id,
      { body_source: body, body_html: bodyHtml },
      previous.anonymous,
    );
  });
}

export async function deleteReply(db: Kysely<DB>, reply: { id: number; thread_id: number }) {
  await inTransaction(db, async (trx) => {
    await markReplyDeleted(trx, reply.id);
    // A deleted official response no longer counts as the vendor's answer.
    await settleResponses(trx, reply.thread_id);
  });
}
