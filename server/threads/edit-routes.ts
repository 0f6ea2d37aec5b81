import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { stringFields } from '../forms.js';
import { notFound } from '../http-errors.js';
import { MarkdownTooComplex, renderMarkdown } from '../markdown.js';
import { formResult } from '../plugins/validation.js';
import { IdParams } from '../schemas.js';
import { memberOf, requireActiveMember, requireMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { renderReplyForm, renderStoryForm, tooComplex } from './form-pages.js';
import { editableReply, editableStory, ownReply, ownStory, replyLocation } from './own-posts.js';
import { deleteReply, editReply } from './replies.js';
import { findReplyForEdit } from './reply-queries.js';
import { ReplyForm, StoryEditForm } from './schemas.js';
import { deleteStory, editStory } from './stories.js';
import { readStoryEdit } from './story-form.js';
import { listThreadAreas } from './story-queries.js';

/** Editing and deleting one's own stories and replies, and the address of a reply. */
export const editRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  const schema = { params: IdParams };
  const member = { preHandler: requireMember, schema };
  const writes = { preHandler: requireActiveMember, config: writeLimit(config), schema };
  // A form's problems are shown beside its fields, after the guards and the ownership check.
  const form = { ...writes, attachValidation: true };

  app.get('/threads/:id/edit', member, async (request, reply) => {
    const thread = await editableStory(app, request.params.id, memberOf(request));
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

  app.post(
    '/threads/:id/edit',
    { ...form, schema: { ...schema, body: StoryEditForm } },
    async (request, reply) => {
      const story = readStoryEdit(request);
      const thread = await editableStory(app, request.params.id, memberOf(request));
      const edit = { id: thread.id, title: thread.title };
      if (!story.ok) return renderStoryForm(app, reply, story, 400, edit);
      try {
        if (story.values.action === 'preview') {
          const preview = await renderMarkdown(story.story.body);
          return renderStoryForm(app, reply, { values: story.values, preview }, 200, edit);
        }
        await editStory(app.db, thread, story.story);
      } catch (error) {
        if (!(error instanceof MarkdownTooComplex)) throw error;
        return renderStoryForm(app, reply, tooComplex(story.values, error), 400, edit);
      }
      return reply.redirect(`/threads/${thread.id}`, 303);
    },
  );

  app.get('/threads/:id/delete', member, async (request, reply) => {
    const thread = await ownStory(app, request.params.id, memberOf(request));
    return reply.page('threads/confirm-delete', {
      title: 'Delete your story?',
      what: 'story',
      name: thread.title,
      action: `/threads/${thread.id}/delete`,
      back: `/threads/${thread.id}`,
    });
  });

  app.post('/threads/:id/delete', writes, async (request, reply) => {
    const author = memberOf(request);
    const thread = await ownStory(app, request.params.id, author);
    await deleteStory(app.db, app.anonymity, author, thread.id);
    return reply.redirect(`/threads/${thread.id}`, 303);
  });

  app.get('/replies/:id', { schema }, async (request, reply) => {
    const row = await findReplyForEdit(app.db, request.params.id);
    if (!row) throw notFound('There is no such reply.');
    return reply.redirect(
      await replyLocation(app, row.thread_id, row.id, row.official_vendor_id !== null),
      303,
    );
  });

  app.get('/replies/:id/edit', member, async (request, reply) => {
    const row = await editableReply(app, request.params.id, memberOf(request));
    return renderReplyForm(reply, row.id, { body: row.body_source });
  });

  app.post(
    '/replies/:id/edit',
    { ...form, schema: { ...schema, body: ReplyForm } },
    async (request, reply) => {
      const answer = formResult<typeof ReplyForm>(request);
      const row = await editableReply(app, request.params.id, memberOf(request));
      if (!answer.ok) return renderReplyForm(reply, row.id, answer.values, answer.errors, 400);
      try {
        await editReply(app.db, row, answer.values.body);
      } catch (error) {
        if (!(error instanceof MarkdownTooComplex)) throw error;
        const { values, errors } = tooComplex(stringFields(request.body), error);
        return renderReplyForm(reply, row.id, values, errors, 400);
      }
      return reply.redirect(
        await replyLocation(app, row.thread_id, row.id, row.official_vendor_id !== null),
        303,
      );
    },
  );

  app.get('/replies/:id/delete', member, async (request, reply) => {
    const row = await ownReply(app, request.params.id, memberOf(request));
    return reply.page('threads/confirm-delete', {
      title: 'Delete your reply?',
      what: 'reply',
      name: null,
      action: `/replies/${row.id}/delete`,
      back: `/replies/${row.id}`,
    });
  });

  app.post('/replies/:id/delete', writes, async (request, reply) => {
    const row = await ownReply(app, request.params.id, memberOf(request));
    await deleteReply(app.db, row);
    return reply.redirect(
      await replyLocation(app, row.thread_id, row.id, row.official_vendor_id !== null),
      303,
    );
  });
};
