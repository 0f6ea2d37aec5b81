import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { checkForm } from '../forms.js';
import { HttpError, notFound, parseId } from '../http-errors.js';
import { MarkdownTooComplex, renderMarkdown } from '../markdown.js';
import { requireActiveMember, requireMember } from '../security/guards.js';
import { isAuthor } from '../posts/authors.js';
import {
  findReplyForEdit,
  findThreadForEdit,
  listThreadAreas,
  countRepliesBefore,
} from './queries.js';
import { ReplyForm, BODY_RULE } from './schemas.js';
import { deleteReply, deleteStory, editReply, editStory } from './service.js';
import { parseStoryForm } from './story-form.js';
import { REPLIES_PER_PAGE } from './thread-page.js';
import { renderStoryForm, tooComplex } from './routes.js';
import { writeLimit } from '../security/rate-limits.js';

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

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export async function editRoutes(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  const member = { preHandler: requireMember };
  const writes = { preHandler: requireActiveMember, config: writeLimit(config) };

  /** The member's own live story; a 404 when there is none, a 403 when it is someone else's. */
  async function ownStory(request: IdRequest) {
    const thread = await findThreadForEdit(app.db, parseId(request.params.id));
    if (!thread || thread.deleted_at) throw notFound('There is no such story.');
    if (!isAuthor(thread, thread.id, request.member, app.anonymity)) throw notYours();
    return thread;
  }

  async function ownReply(request: IdRequest) {
    const row = await findReplyForEdit(app.db, parseId(request.params.id));
    if (!row || row.deleted_at) throw notFound('There is no such reply.');
    if (!isAuthor(row, row.thread_id, request.member, app.anonymity)) throw notYours();
    return row;
  }

  async function editableStory(request: IdRequest) {
    const thread = await ownStory(request);
    refuseHiddenEdit(thread);
    return thread;
  }

  /** As a locked story takes no new replies, its replies cannot be rewritten either. */
  async function editableReply(request: IdRequest) {
    const row = await ownReply(request);
    refuseHiddenEdit(row);
    if (row.thread_hidden_at)
      throw new HttpError(403, 'Moderators hid this story: its replies cannot be edited.');
    if (row.thread_locked_at)
      throw new HttpError(409, 'Moderators locked this story: its replies cannot be edited.');
    return row;
  }

  app.get('/threads/:id/edit', member, async (request: IdRequest, reply) => {
    const thread = await editableStory(request);
    const areas = await listThreadAreas(app.db, thread.id);
    const values: Record<string, string> = {
      title: thread.title,
      body: thread.body_source,
      sentiment: thread.sentiment,
      tier: thread.tier ?? '',
    };
    for (const area of areas) values[`area_${area.area}`] = area.rating;
    return renderStoryForm(app, reply, { values }, 200, { id: thread.id, title: thread.title });
  });

  app.post('/threads/:id/edit', writes, async (request: IdRequest, reply) => {
    const thread = await editableStory(request);
    const edit = { id: thread.id, title: thread.title };
    const form = parseStoryForm(request.body, { withVendors: false });
    if (!form.ok) return renderStoryForm(app, reply, form, 400, edit);
    try {
      if (form.values.action === 'preview') {
        const preview = await renderMarkdown(form.story.body);
        return renderStoryForm(app, reply, { values: form.values, preview }, 200, edit);
      }
      await editStory(app.db, thread, form.story);
    } catch (error) {
      if (!(error instanceof MarkdownTooComplex)) throw error;
      return renderStoryForm(app, reply, tooComplex(form.values, error), 400, edit);
    }
    return reply.redirect(`/threads/${thread.id}`, 303);
  });

  app.get('/threads/:id/delete', member, async (request: IdRequest, reply) => {
    const thread = await ownStory(request);
    return reply.page('threads/confirm-delete', {
      title: 'Delete your story?',
      what: 'story',
      name: thread.title,
      action: `/threads/${thread.id}/delete`,
      back: `/threads/${thread.id}`,
    });
  });

  app.post('/threads/:id/delete', writes, async (request: IdRequest, reply) => {
    const thread = await ownStory(request);
    await deleteStory(app.db, app.anonymity, request.member!, thread.id);
    return reply.redirect(`/threads/${thread.id}`, 303);
  });

  app.get('/replies/:id', async (request: IdRequest, reply) => {
    const row = await findReplyForEdit(app.db, parseId(request.params.id));
    if (!row) throw notFound('There is no such reply.');
    return reply.redirect(await replyLocation(row.thread_id, row.id), 303);
  });

  app.get('/replies/:id/edit', member, async (request: IdRequest, reply) => {
    const row = await editableReply(request);
    return renderReplyForm(reply, row.id, { body: row.body_source });
  });

  app.post('/replies/:id/edit', writes, async (request: IdRequest, reply) => {
    const row = await editableReply(request);
    const form = checkForm(ReplyForm, request.body);
    if (!form.ok) return renderReplyForm(reply, row.id, form.values, form.errors, 400);
    try {
      await editReply(app.db, row, form.values.body);
    } catch (error) {
      if (!(error instanceof MarkdownTooComplex)) throw error;
      const { values, errors } = tooComplex(form.values, error);
      return renderReplyForm(reply, row.id, values, errors, 400);
    }
    return reply.redirect(await replyLocation(row.thread_id, row.id), 303);
  });

  app.get('/replies/:id/delete', member, async (request: IdRequest, reply) => {
    const row = await ownReply(request);
    return reply.page('threads/confirm-delete', {
      title: 'Delete your reply?',
      what: 'reply',
      name: null,
      action: `/replies/${row.id}/delete`,
      back: `/replies/${row.id}`,
    });
  });

  app.post('/replies/:id/delete', writes, async (request: IdRequest, reply) => {
    const row = await ownReply(request);
    await deleteReply(app.db, row.id);
    return reply.redirect(await replyLocation(row.thread_id, row.id), 303);
  });

  async function replyLocation(threadId: number, replyId: number) {
    const before = await countRepliesBefore(app.db, threadId, replyId);
    const page = Math.floor(before / REPLIES_PER_PAGE) + 1;
    return `/threads/${threadId}${page > 1 ? `?page=${page}` : ''}#reply-${replyId}`;
  }

  function renderReplyForm(
    reply: FastifyReply,
    id: number,
    values: Record<string, string>,
    errors: Record<string, string> = {},
    status = 200,
  ) {
    return reply.page(
      'threads/edit-reply',
      { title: 'Edit your reply', id, values, errors, bodyRule: BODY_RULE },
      status,
    );
  }
}
