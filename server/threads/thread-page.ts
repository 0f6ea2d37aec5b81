import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../http-errors.js';
import { offsetOf, pageNotFound } from '../pagination.js';
import { AREA_LABELS, SUPPORT_AREAS } from '../posts/vocabulary.js';
import { listOwnVotes } from './own-votes.js';
import { isAuthor, withAuthor } from '../posts/authors.js';
import { findThread, listReplies, type ThreadRow } from './queries.js';

export const REPLIES_PER_PAGE = 50;

export function lastReplyPage(replyCount: number): number {
  return Math.max(1, Math.ceil(replyCount / REPLIES_PER_PAGE));
}

/**
 * Everything the thread page shows in two queries (the story with its vendors and ratings, found
 * by the caller; a page of replies), and one more for a member's own votes, whatever the numbers.
 * Ownership is worked out here, from the rows already read, so the template only reads flags.
 */
export async function loadThreadPage(
  app: FastifyInstance,
  request: FastifyRequest,
  thread: ThreadRow,
  page: number,
) {
  if (page > lastReplyPage(thread.reply_count)) throw pageNotFound();
  const replies = await listReplies(
    app.db,
    thread.id,
    offsetOf(page, REPLIES_PER_PAGE),
    REPLIES_PER_PAGE,
  );
  const member = request.member;
  const votes = member
    ? await listOwnVotes(
        app.db,
        member.id,
        thread.id,
        replies.map((reply) => reply.id),
      )
    : { thread: 0, replies: new Map<number, number>() };
  const ratings = new Map(thread.areas.map((area) => [area.area, area.rating]));
  const moderator = member !== null && member.role !== 'member';
  const threadMine = isAuthor(thread, thread.id, member, app.anonymity);
  return {
    thread: {
      ...withAuthor(thread),
      mine: threadMine,
      // A hidden post stays readable for its author and for moderators, marked as hidden.
      showHidden: threadMine || moderator,
      vote: votes.thread,
      areas: SUPPORT_AREAS.filter((area) => ratings.has(area.key)).map((area) => ({
        key: area.key,
        label: AREA_LABELS[area.key],
        rating: ratings.get(area.key),
      })),
    },
    replies: replies.map((reply) => {
      const mine = isAuthor(reply, thread.id, member, app.anonymity);
      return {
        ...withAuthor(reply),
        mine,
        showHidden: mine || moderator,
        vote: votes.replies.get(reply.id) ?? 0,
      };
    }),
    moderator,
    pagination: {
      page,
      hasPrevious: page > 1,
      hasNext: page < lastReplyPage(thread.reply_count),
      basePath: `/threads/${thread.id}/${thread.slug}`,
    },
  };
}

export async function findThreadOr404(app: FastifyInstance, id: number) {
  const thread = await findThread(app.db, id);
  if (!thread) throw notFound('There is no such story.');
  return thread;
}
