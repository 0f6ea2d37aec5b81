import { excerpt } from '../format.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { stringFields, type FieldErrors } from '../forms.js';
import { MarkdownTooComplex, configureMarkdown, renderMarkdown } from '../markdown.js';
import { checkedBody, formResult } from '../plugins/validation.js';
import { HttpError } from '../http-errors.js';
import { IdParams, PageQuery } from '../schemas.js';
import { memberOf, requireActiveMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { SUSPENSIONS } from '../suspensions/rules.js';
import { findVendorBySlug } from '../vendors/queries.js';
import { SecondAnonymousStory } from './anonymous-voices.js';
import { renderStoryForm, tooComplex } from './form-pages.js';
import { createReply } from './replies.js';
import {
  BODY_RULE,
  NewStoryQuery,
  ReplyForm,
  ResolutionForm,
  ResponseForm,
  StoryForm,
  ThreadParams,
} from './schemas.js';
import {
  OwnVendorStory,
  ResponseExists,
  createOfficialResponse,
  representedIn,
  setResolution,
} from './official-responses.js';
import { ownStory } from './own-posts.js';
import { isAuthor } from '../posts/authors.js';
import { createStory } from './stories.js';
import { readStoryForm } from './story-form.js';
import type { ThreadRow } from './story-queries.js';
import { closedReason, findThreadOr404, lastReplyPage, loadThreadPage } from './thread-page.js';

/** A new story, a story's page, a reply to it. (Edits and deletions: edit-routes.ts.) */
export const threadRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  configureMarkdown(config.markdown);
  const writes = { preHandler: requireActiveMember, config: writeLimit(config) };
  // A form's problems are shown beside its fields, after the guards (see formResult).
  const form = { ...writes, attachValidation: true };

  app.get(
    '/threads/new',
    { preHandler: requireActiveMember, schema: { querystring: NewStoryQuery } },
    async (request, reply) => {
      const slug = request.query.vendor;
      const preselected = slug ? (await findVendorBySlug(app.db, slug))?.name : undefined;
      return renderStoryForm(app, reply, { values: { vendors: preselected ?? '' } });
    },
  );

  app.post('/threads', { ...form, schema: { body: StoryForm } }, async (request, reply) => {
    const story = readStoryForm(request);
    if (!story.ok) return renderStoryForm(app, reply, story, 400);
    const { values } = story;
    let posted;
    try {
      if (values.action === 'preview') {
        const preview = await renderMarkdown(story.story.body);
        return renderStoryForm(app, reply, { values, preview });
      }
      posted = await createStory(app.db, app.anonymity, memberOf(request), story.story);
    } catch (error) {
      if (error instanceof MarkdownTooComplex)
        return renderStoryForm(app, reply, tooComplex(values, error), 400);
      if (error instanceof OwnVendorStory)
        return renderStoryForm(app, reply, { values, errors: { vendors: error.message } }, 409);
      if (!(error instanceof SecondAnonymousStory)) throw error;
      const refused = { anonymous: error.message };
      return renderStoryForm(
        app,
        reply,
        { values, errors: refused, ownStory: error.existing },
        409,
      );
    }
    return reply.redirect(`/threads/${posted.id}/${posted.slug}`, 303);
  });

  for (const url of ['/threads/:id', '/threads/:id/:slug']) {
    app.get(
      url,
      { schema: { params: ThreadParams, querystring: PageQuery } },
      async (request, reply) => {
        const thread = await findThreadOr404(app, request.params.id, request.member?.id ?? null);
        const page = request.query.page ?? 1;
        if (request.params.slug !== undefined && request.params.slug !== thread.slug) {
          const query = page > 1 ? `?page=${page}` : '';
          return reply.redirect(`/threads/${thread.id}/${thread.slug}${query}`, 301);
        }
        return renderThread(app, request, reply, thread, page);
      },
    );
  }

  app.post(
    '/threads/:id/replies',
    { ...form, schema: { params: IdParams, body: ReplyForm } },
    async (request, reply) => {
      const answer = formResult<typeof ReplyForm>(request);
      const thread = await findThreadOr404(app, request.params.id, memberOf(request).id);
      const page = lastReplyPage(thread.reply_count);
      const values = stringFields(request.body);
      const refuse = (errors: FieldErrors, status: number) =>
        renderThread(app, request, reply, thread, page, { reply: { values, errors } }, status);
      if (!answer.ok) return refuse(answer.errors, 400);
      const closed = closedReason(thread);
      if (closed) return refuse({ body: closed }, 409);
      const represented = representedIn(memberOf(request), thread.vendors);
      if (represented && answer.values.anonymous === 'on')
        return refuse({ anonymous: anonymousRefusal(represented.name) }, 409);
      let replyId;
      try {
        replyId = await createReply(app.db, app.anonymity, memberOf(request), thread.id, {
          body: answer.values.body,
          anonymous: answer.values.anonymous === 'on',
        });
      } catch (error) {
        if (!(error instanceof MarkdownTooComplex)) throw error;
        return refuse({ body: error.message }, 400);
      }
      const newPage = lastReplyPage(thread.reply_count + 1);
      const query = newPage > 1 ? `?page=${newPage}` : '';
      return reply.redirect(`/threads/${thread.id}/${thread.slug}${query}#reply-${replyId}`, 303);
    },
  );

  app.post(
    '/threads/:id/response',
    { ...form, schema: { params: IdParams, body: ResponseForm } },
    async (request, reply) => {
      const answer = formResult<typeof ResponseForm>(request);
      const member = memberOf(request);
      const thread = await findThreadOr404(app, request.params.id, member.id);
      const vendor = representedIn(member, thread.vendors);
      if (!vendor)
        throw new HttpError(
          403,
          'Only a representative of a vendor this story is about can post its official response.',
        );
      // Answering one's own story, and then marking it resolved, would make the figures up.
      if (isAuthor(thread, thread.id, member, app.anonymity))
        throw new HttpError(
          403,
          `You told this story yourself: another representative of ${vendor.name} can answer it.`,
        );
      const values = stringFields(request.body);
      const refuse = (errors: FieldErrors, status: number) =>
        renderThread(app, request, reply, thread, 1, { response: { values, errors } }, status);
      if (!answer.ok) return refuse(answer.errors, 400);
      const closed = closedReason(thread);
      if (closed) return refuse({ body: closed }, 409);
      let responseId;
      try {
        responseId = await createOfficialResponse(
          app.db,
          app.anonymity,
          member,
          thread.id,
          vendor,
          answer.values.body,
        );
      } catch (error) {
        if (error instanceof MarkdownTooComplex || error instanceof ResponseExists)
          return refuse({ body: error.message }, error instanceof ResponseExists ? 409 : 400);
        throw error;
      }
      return reply.redirect(`/threads/${thread.id}/${thread.slug}#response-${responseId}`, 303);
    },
  );

  app.post(
    '/threads/:id/resolution',
    { ...writes, attachValidation: true, schema: { params: IdParams, body: ResolutionForm } },
    async (request, reply) => {
      // Whose story it is comes first: anyone else hears what they hear for any post not theirs.
      const thread = await ownStory(app, request.params.id, memberOf(request));
      const form = checkedBody(request);
      await setResolution(app.db, thread.id, form.resolution === 'open' ? null : form.resolution);
      return reply.redirect(`/threads/${thread.id}/${thread.slug}#resolution`, 303);
    },
  );
};

function anonymousRefusal(vendorName: string) {
  return `You represent ${vendorName}: in stories about it you speak for the vendor, under your name, so you cannot reply anonymously here.`;
}

async function renderThread(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  thread: ThreadRow,
  page: number,
  forms: {
    reply?: { values?: Record<string, string>; errors?: FieldErrors };
    response?: { values?: Record<string, string>; errors?: FieldErrors };
  } = {},
  status = 200,
) {
  const data = await loadThreadPage(app, request, thread, page);
  const replyForm = forms.reply ?? {};
  const responseForm = forms.response ?? {};
  return reply.page(
    'threads/show',
    {
      title: data.pageTitle,
      ...data,
      // What a link preview or a search result shows: the story's opening, as plain text.
      ...(data.thread.placeholder || thread.deleted_at
        ? {}
        : { description: excerpt(thread.body_html, 200), ogType: 'article' }),
      // One address per page of a story, the one the sitemap lists, however it was reached.
      canonicalPath: `/threads/${thread.id}/${thread.slug}${page > 1 ? `?page=${page}` : ''}`,
      suspensions: SUSPENSIONS,
      replyForm: { values: replyForm.values ?? {}, errors: replyForm.errors ?? {} },
      responseForm: { values: responseForm.values ?? {}, errors: responseForm.errors ?? {} },
      bodyRule: BODY_RULE,
    },
    status,
  );
}
