import type { FastifyInstance } from 'fastify';
import { HttpError, notFound } from '../http-errors.js';
import { isAuthor } from '../posts/authors.js';
import type { Member } from '../security/member.js';
import { countRepliesBefore, findReplyForEdit } from './reply-queries.js';
import { findThreadForEdit } from './story-queries.js';
import { REPLIES_PER_PAGE } from './thread-page.js';

// A member's own post, as an edit or a deletion finds it: the row, or the error to answer with.

/**
 * The one answer to "change a post that is not yours", whoever wrote it and whether or not it
 * is anonymous: nothing in it may tell an anonymous post of someone else from any other.
 */
const notYours = () => new HttpError(403, 'You can only change your own posts.');

/**
 * A hidden post stays as moderators (or reports) left it: its author may delete it, not rewrite
 * it. Checked after ownership, so only the author hears it; that a post is hidden is public.
 */
function refuseHiddenEdit(post: { hidden_at: Date | null; held_for_review: boolean }) {
  if (!post.hidden_at) return;
  throw new HttpError(
    403,
    post.held_for_review
      ? 'This post is hidden while moderators review reports about it, and cannot be edited. You can still delete it.'
      : 'This post is hidden by moderators and cannot be edited. You can still delete it.',
  );
}

/** The member's own live story; a 404 when there is none, a 403 when it is someone else's. */
export async function ownStory(app: FastifyInstance, id: number, author: Member) {
  const thread = await findThreadForEdit(app.db, id);
  if (!thread || thread.deleted_at) throw notFound('There is no such story.');
  if (!isAuthor(thread, thread.id, author, app.anonymity)) throw notYours();
  return thread;
}

export async function ownReply(app: FastifyInstance, id: number, author: Member) {
  const row = await findReplyForEdit(app.db, id);
  if (!row || row.deleted_at) throw notFound('There is no such reply.');
  if (!isAuthor(row, row.thread_id, author, app.anonymity)) throw notYours();
  return row;
}

export async function editableStory(app: FastifyInstance, id: number, author: Member) {
  const thread = await ownStory(app, id, author);
  refuseHiddenEdit(thread);
  return thread;
}

/** As a locked story takes no new replies, its replies cannot be rewritten either. */
export async function editableReply(app: FastifyInstance, id: number, author: Member) {
  const row = await ownReply(app, id, author);
  refuseHiddenEdit(row);
  if (row.thread_hidden_at)
    throw new HttpError(403, 'Moderators hid this story: its replies cannot be edited.');
  if (row.thread_locked_at)
    throw new HttpError(409, 'Moderators locked this story: its replies cannot be edited.');
  return row;
}

/**
 * Where a reply is shown: its story's page that holds it, at the reply; an official response is
 * shown above the replies, on the story's first page.
 */
export async function replyLocation(
  app: FastifyInstance,
  threadId: number,
  replyId: number,
  official = false,
) {
  if (official) return `/threads/${threadId}#response-${replyId}`;
  const before = await countRepliesBefore(app.db, threadId, replyId);
  const page = Math.floor(before / REPLIES_PER_PAGE) + 1;
  return `/threads/${threadId}${page > 1 ? `?page=${page}` : ''}#reply-${replyId}`;
}
