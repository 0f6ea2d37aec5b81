import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../http-errors.js';
import { offsetOf, pageNotFound } from '../pagination.js';
import { AREA_LABELS, SUPPORT_AREAS, type PostKind } from '../posts/vocabulary.js';
import { authorshipIn, authorView, withAuthor } from '../posts/authors.js';
import type { Member, VendorRef } from '../security/member.js';
import { representedIn } from './official-responses.js';
import { listReplies } from './reply-queries.js';
import { findThread, type ThreadRow } from './story-queries.js';

type ReplyRow = Awaited<ReturnType<typeof listReplies>>[number];

export const REPLIES_PER_PAGE = 50;

export function lastReplyPage(replyCount: number): number {
  return Math.max(1, Math.ceil(replyCount / REPLIES_PER_PAGE));
}

interface PostState {
  deleted_at: Date | null;
  hidden_at: Date | null;
  held_for_review: boolean;
}

/** Why a story takes no new replies, as the member who tries is told; null when it takes them. */
export function closedReason(thread: PostState & { locked_at: Date | null }): string | null {
  if (thread.deleted_at) return 'This story was deleted by its author and takes no new replies.';
  if (thread.hidden_at) {
    return thread.held_for_review
      ? 'This story is hidden while moderators review reports: it takes no new replies until then.'
      : 'This story was removed by moderators and takes no new replies.';
  }
  if (thread.locked_at) return 'Moderators locked this story: it takes no new replies.';
  return null;
}

/**
 * How a post shows to this viewer. `placeholder`: what stands in for a post the viewer may not
 * read (deleted by its author, held while moderators review reports, removed by moderators), or
 * null. `hiddenNotice`: the same for a hidden post its author or a moderator still reads.
 */
function visibility(post: PostState, showHidden: boolean) {
  const hidden = post.hidden_at ? (post.held_for_review ? 'held' : 'removed') : null;
  if (post.deleted_at) return { placeholder: 'deleted' as const, hiddenNotice: null };
  if (hidden && !showHidden) return { placeholder: hidden, hiddenNotice: null };
  return { placeholder: null, hiddenNotice: hidden };
}

interface Viewer {
  member: Member | null;
  /** Logged in and not suspended: the page offers the controls that write. */
  canWrite: boolean;
  moderator: boolean;
  /** The vendor of this story the viewer represents: they may not vote here. */
  represents: VendorRef | null;
  /** Whether the viewer wrote a post of this thread, named or anonymously. */
  wrote: (post: {
    anonymous: boolean;
    author_id: number | null;
    author_tag: string | null;
  }) => boolean;
}

/** A story or a reply, as the rules below need it. */
interface Post extends PostState {
  kind: PostKind;
  id: number;
  /** The viewer wrote it, in the clear or anonymously. */
  mine: boolean;
}

/**
 * How a post shows to the viewer and what they may do with it: vote on someone else's visible
 * post, edit their own unless it is hidden (or its kind forbids it: `editable`), delete their
 * own, report someone else's, moderate it. A post shown only as a placeholder offers nothing.
 * Built field by field: a page builds fifty of these, and copying whole rows showed in profiles.
 */
function postView(
  viewer: Viewer,
  post: Post,
  { editable = true, locked = false, next }: { editable?: boolean; locked?: boolean; next: string },
) {
  // A hidden post stays readable for its author and for moderators, marked as hidden.
  const { placeholder, hiddenNotice } = visibility(post, post.mine || viewer.moderator);
  const writes = placeholder === null && viewer.canWrite;
  const hidden = post.hidden_at !== null;
  const { kind, id, mine } = post;
  return {
    placeholder,
    hiddenNotice,
    mine,
    canVote: writes && !mine && !hidden && viewer.represents === null,
    canEdit: writes && mine && !hidden && editable,
    canDelete: writes && mine,
    canReport: writes && !mine,
    voteAction: `/${kind === 'thread' ? 'threads' : 'replies'}/${id}/vote`,
    /** What the moderator's form needs (moderation/mod-actions.eta); null for everyone else. */
    moderation:
      viewer.moderator && placeholder === null
        ? { kind, id, own: mine, hidden, held: post.held_for_review, locked, reported: false, next }
        : null,
  };
}

/**
 * Everything the thread page shows in two queries, a member's own votes included (the story with
 * its vendors, ratings and the viewer's vote, found by the caller; a page of replies with the
 * viewer's votes), whatever the numbers.
 * Every rule is worked out here, from the rows already read and the viewer's own suspension
 * (which the page reads anyway), so the template only tests the flags it is given.
 */
export async function loadThreadPage(
  app: FastifyInstance,
  request: FastifyRequest,
  thread: ThreadRow,
  page: number,
) {
  if (page > lastReplyPage(thread.reply_count)) throw pageNotFound();
  const member = request.member;
  const replies = await listReplies(
    app.db,
    thread.id,
    offsetOf(page, REPLIES_PER_PAGE),
    REPLIES_PER_PAGE,
    member?.id ?? null,
  );
  const viewer: Viewer = {
    member,
    canWrite: member !== null && (await request.suspension()) === null,
    moderator: member !== null && member.role !== 'member',
    represents: representedIn(member, thread.vendors),
    wrote: authorshipIn(thread.id, member, app.anonymity),
  };
  const story = storyView(viewer, thread, thread.own_vote);
  const responses = thread.official_responses.map((response) =>
    responseView(viewer, thread, response),
  );
  const open = closedReason(thread) === null;
  const answered = new Set(responses.map((response) => response.vendor.id));
  return {
    /** The page's title: what the story shows in place of its own when the viewer may not read it. */
    pageTitle: thread.deleted_at
      ? 'Deleted story'
      : story.placeholder
        ? 'Removed story'
        : thread.title,
    thread: story,
    replies: replies.map((reply) => replyView(viewer, thread, reply, reply.own_vote)),
    canReply: viewer.canWrite && open,
    responses,
    /** The vendor of this story the viewer represents: no anonymous reply, no vote here. */
    representsHere: viewer.represents,
    /** The vendor the viewer may post the official response for, or null. */
    respondAs:
      viewer.canWrite &&
      open &&
      viewer.represents &&
      !story.mine &&
      !answered.has(viewer.represents.id)
        ? viewer.represents
        : null,
    resolution: {
      value: thread.resolution,
      /** Shown once a vendor's answer counts; a mark left from an earlier answer is not. */
      shown: thread.responses > 0 ? thread.resolution : null,
      canMark: story.mine && viewer.canWrite && thread.responses > 0 && !thread.deleted_at,
    },
    pagination: {
      page,
      hasPrevious: page > 1,
      hasNext: page < lastReplyPage(thread.reply_count),
      basePath: `/threads/${thread.id}/${thread.slug}`,
    },
  };
}

function storyView(viewer: Viewer, thread: ThreadRow, vote: number) {
  const mine = viewer.wrote(thread);
  const locked = thread.locked_at !== null;
  const ratings = new Map(thread.areas.map((area) => [area.area, area.rating]));
  return {
    ...withAuthor(thread),
    ...postView(viewer, { ...thread, kind: 'thread', mine }, { locked, next: threadPath(thread) }),
    vote,
    locked,
    areas: SUPPORT_AREAS.filter((area) => ratings.has(area.key)).map((area) => ({
      key: area.key,
      label: AREA_LABELS[area.key],
      rating: ratings.get(area.key),
      mark: ratings.get(area.key) === 'good' ? '✓' : '✗',
    })),
  };
}

function replyView(viewer: Viewer, thread: ThreadRow, reply: ReplyRow, vote: number) {
  const post: Post = {
    kind: 'reply',
    id: reply.id,
    mine: viewer.wrote(reply),
    deleted_at: reply.deleted_at,
    hidden_at: reply.hidden_at,
    held_for_review: reply.held_for_review,
  };
  // The replies of a hidden or locked story cannot be rewritten (edit-routes.ts, editableReply).
  const editable = thread.hidden_at === null && thread.locked_at === null;
  return {
    id: reply.id,
    body_html: reply.body_html,
    score: reply.score,
    created_at: reply.created_at,
    edited_at: reply.edited_at,
    hidden_reason: reply.hidden_reason,
    author: authorView(reply),
    vote,
    ...postView(viewer, post, { editable, next: threadPath(thread) }),
  };
}

type ResponseRow = ThreadRow['official_responses'][number];

/** A vendor's official response: a reply, shown above the others under the vendor's name. */
function responseView(viewer: Viewer, thread: ThreadRow, response: ResponseRow) {
  const toDate = (value: Date | string | null) => (value === null ? null : new Date(value));
  const hiddenAt = toDate(response.hidden_at);
  const post: Post = {
    kind: 'reply',
    id: response.id,
    mine: viewer.wrote({ anonymous: false, author_id: response.author_id, author_tag: null }),
    deleted_at: null,
    hidden_at: hiddenAt,
    held_for_review: response.held_for_review,
  };
  const editable = thread.hidden_at === null && thread.locked_at === null;
  return {
    id: response.id,
    body_html: response.body_html,
    score: response.score,
    created_at: new Date(response.created_at),
    edited_at: toDate(response.edited_at),
    hidden_reason: response.hidden_reason,
    vendor: { id: response.vendor_id, name: response.vendor_name, slug: response.vendor_slug },
    author: authorView({
      anonymous: false,
      author_id: response.author_id,
      pseudonym: null,
      author_username: response.author_username,
      author_vendor: { name: response.vendor_name, slug: response.vendor_slug },
    }),
    vote: response.own_vote,
    ...postView(viewer, post, { editable, next: threadPath(thread) }),
  };
}

const threadPath = (thread: { id: number }) => `/threads/${thread.id}`;

/** The story, with the vote of `voterId` on it when given (see findThread). */
export async function findThreadOr404(
  app: FastifyInstance,
  id: number,
  voterId: number | null = null,
) {
  const thread = await findThread(app.db, id, voterId);
  if (!thread) throw notFound('There is no such story.');
  return thread;
}
