import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { checkForm, type FieldErrors } from '../forms.js';
import { parseId } from '../http-errors.js';
import { MarkdownTooComplex, configureMarkdown, renderMarkdown } from '../markdown.js';
import { pageNumber } from '../pagination.js';
import { requireActiveMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { findVendorBySlug, listVendorSuggestions } from '../vendors/queries.js';
import { SUSPENSIONS } from '../suspensions/rules.js';
import { SENTIMENTS, SUPPORT_AREAS } from '../posts/vocabulary.js';
import { listTierSuggestions, type ThreadRow } from './queries.js';
import { BODY_RULE, MAX_VENDORS, ReplyForm, TITLE_RULE } from './schemas.js';
import { SecondAnonymousStory, createReply, createStory } from './service.js';
import { parseStoryForm } from './story-form.js';
import { findThreadOr404, lastReplyPage, loadThreadPage } from './thread-page.js';

export async function threadRoutes(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  configureMarkdown(config.markdown);
  app.get('/threads/new', { preHandler: requireActiveMember }, async (request, reply) => {
    const preselected = await preselectedVendor(app, request);
    return renderStoryForm(app, reply, { values: { vendors: preselected ?? '' } });
  });

  app.post(
    '/threads',
    { preHandler: requireActiveMember, config: writeLimit(config) },
    async (request, reply) => {
      const form = parseStoryForm(request.body);
      const previewing = form.values.action === 'preview';
      if (!form.ok) return renderStoryForm(app, reply, form, 400);
      let story;
      try {
        if (previewing) {
          const preview = await renderMarkdown(form.story.body);
          return renderStoryForm(app, reply, { values: form.values, preview });
        }
        story = await createStory(app.db, app.anonymity, request.member!, form.story);
      } catch (error) {
        if (error instanceof MarkdownTooComplex)
          return renderStoryForm(app, reply, tooComplex(form.values, error), 400);
        if (!(error instanceof SecondAnonymousStory)) throw error;
        return renderStoryForm(
          app,
          reply,
          { values: form.values, errors: { anonymous: error.message }, ownStory: error.existing },
          409,
        );
      }
      return reply.redirect(`/threads/${story.id}/${story.slug}`, 303);
    },
  );

  const showThread = async (
    request: FastifyRequest<{ Params: { id: string; slug?: string } }>,
    reply: FastifyReply,
  ) => {
    const thread = await findThreadOr404(app, parseId(request.params.id));
    const page = pageNumber(request.query);
    if (request.params.slug !== undefined && request.params.slug !== thread.slug) {
      const query = page > 1 ? `?page=${page}` : '';
      return reply.redirect(`/threads/${thread.id}/${thread.slug}${query}`, 301);
    }
    return renderThread(app, request, reply, thread, page);
  };
  app.get('/threads/:id', showThread);
  app.get('/threads/:id/:slug', showThread);

  app.post<{ Params: { id: string } }>(
    '/threads/:id/replies',
    { preHandler: requireActiveMember, config: writeLimit(config) },
    async (request, reply) => {
      const thread = await findThreadOr404(app, parseId(request.params.id));
      const form = checkForm(ReplyForm, request.body);
      const page = lastReplyPage(thread.reply_count);
      if (!form.ok)
        return renderThread(
          app,
          request,
          reply,
          thread,
          page,
          { values: form.values, errors: form.errors },
          400,
        );
      const closed = thread.deleted_at
        ? 'This story was deleted by its author and takes no new replies.'
        : thread.hidden_at
          ? thread.held_for_review
            ? 'This story is hidden while moderators review reports: it takes no new replies until then.'
            : 'This story was removed by moderators and takes no new replies.'
          : thread.locked_at
            ? 'Moderators locked this story: it takes no new replies.'
            : null;
      if (closed) {
        const errors = { body: closed };
        return renderThread(
          app,
          request,
          reply,
          thread,
          page,
          { values: form.values, errors },
          409,
        );
      }
      let replyId;
      try {
        replyId = await createReply(app.db, app.anonymity, request.member!, thread.id, {
          body: form.values.body,
          anonymous: form.values.anonymous === 'on',
        });
      } catch (error) {
        if (!(error instanceof MarkdownTooComplex)) throw error;
        return renderThread(app, request, reply, thread, page, tooComplex(form.values, error), 400);
      }
      const newPage = lastReplyPage(thread.reply_count + 1);
      const query = newPage > 1 ? `?page=${newPage}` : '';
      return reply.redirect(`/threads/${thread.id}/${thread.slug}${query}#reply-${replyId}`, 303);
    },
  );
}

async function renderThread(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  thread: ThreadRow,
  page: number,
  replyForm: { values?: Record<string, string>; errors?: FieldErrors } = {},
  status = 200,
) {
  const data = await loadThreadPage(app, request, thread, page);
  return reply.page(
    'threads/show',
    {
      title: thread.deleted_at
        ? 'Deleted story'
        : thread.hidden_at && !data.thread.showHidden
          ? 'Removed story'
          : thread.title,
      ...data,
      suspensions: SUSPENSIONS,
      replyForm: { values: replyForm.values ?? {}, errors: replyForm.errors ?? {} },
      bodyRule: BODY_RULE,
    },
    status,
  );
}

/** The form again, with the member's input, asking them to simplify the text. */
export function tooComplex(values: Record<string, string>, error: MarkdownTooComplex) {
  return { values, errors: { body: error.message } };
}

interface StoryFormState {
  values: Record<string, string>;
  errors?: FieldErrors;
  preview?: string;
  /** The member's own anonymous story that a second one about the same vendor would repeat. */
  ownStory?: { id: number; slug: string; hidden: boolean } | null;
}

export async function renderStoryForm(
  app: FastifyInstance,
  reply: FastifyReply,
  state: StoryFormState,
  status = 200,
  edit?: { id: number; title: string },
) {
  const [vendorSuggestions, tierSuggestions] = edit
    ? [[], await listTierSuggestions(app.db)]
    : await Promise.all([listVendorSuggestions(app.db), listTierSuggestions(app.db)]);
  return reply.page(
    'threads/form',
    {
      title: edit ? 'Edit your story' : 'Share your experience',
      edit,
      values: state.values,
      errors: state.errors ?? {},
      hasErrors: Object.keys(state.errors ?? {}).length > 0,
      preview: state.preview,
      ownStory: state.ownStory ?? null,
      vendorSuggestions: vendorSuggestions.map((row) => row.name),
      tierSuggestions: tierSuggestions.map((row) => row.label),
      sentiments: SENTIMENTS,
      areas: SUPPORT_AREAS,
      titleRule: TITLE_RULE,
      bodyRule: BODY_RULE,
      maxVendors: MAX_VENDORS,
    },
    status,
  );
}

async function preselectedVendor(app: FastifyInstance, request: FastifyRequest) {
  const slug = (request.query as Record<string, unknown>).vendor;
  if (typeof slug !== 'string' || slug === '') return undefined;
  return (await findVendorBySlug(app.db, slug))?.name;
}
