import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type FastifyPluginAsyncTypebox, type Static } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { HttpError, notFound } from '../http-errors.js';
import { formResult } from '../plugins/validation.js';
import { isAuthor } from '../posts/authors.js';
import type { PostKind } from '../posts/vocabulary.js';
import { IdParams } from '../schemas.js';
import { memberOf, requireActiveMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { castVote, findVoteTarget, type VoteValue } from './queries.js';

const VoteForm = Type.Object({
  value: Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('none')]),
});
const VALUES: Record<Static<typeof VoteForm>['value'], VoteValue> = { up: 1, down: -1, none: 0 };

type VoteRequest = FastifyRequest & {
  params: Static<typeof IdParams>;
  body: Static<typeof VoteForm>;
};

export const voteRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  const options = {
    preHandler: requireActiveMember,
    config: writeLimit(config),
    // The guards first, then whether the post exists, then the vote (see vote()).
    attachValidation: true,
    schema: { params: IdParams, body: VoteForm },
  };
  app.post('/threads/:id/vote', options, (request, reply) => vote(app, 'thread', request, reply));
  app.post('/replies/:id/vote', options, (request, reply) => vote(app, 'reply', request, reply));
};

/**
 * Up, down or none. A browser form is sent back to the post; the page's script asks for JSON
 * and updates the score in place.
 */
async function vote(
  app: FastifyInstance,
  kind: PostKind,
  request: VoteRequest,
  reply: FastifyReply,
) {
  const form = formResult<typeof VoteForm>(request);
  const post = await findVoteTarget(app.db, kind, request.params.id);
  if (!post) throw notFound(`There is no such ${kind === 'thread' ? 'story' : 'reply'}.`);
  if (!form.ok) throw new HttpError(400, 'A vote is "up", "down" or "none".');
  if (post.deleted_at) throw new HttpError(409, 'This post was deleted; it takes no votes.');
  if (post.hidden_at) throw new HttpError(409, 'This post is hidden and takes no votes.');
  const member = memberOf(request);
  if (isAuthor(post, post.thread_id, member, app.anonymity)) {
    throw new HttpError(403, 'You cannot vote on your own post.');
  }
  const represented = member.represents ?? null;
  if (represented && post.vendors.some((vendor) => vendor.id === represented.id)) {
    throw new HttpError(
      403,
      `You represent ${represented.name}: you cannot vote on stories about it or on their replies.`,
    );
  }
  const value = VALUES[form.values.value];
  const score = await castVote(app.db, kind, post.id, member.id, value);
  if ((request.headers.accept ?? '').includes('application/json')) return { score, vote: value };
  const anchor = kind === 'thread' ? 'story' : `reply-${post.id}`;
  const back =
    kind === 'thread' ? `/threads/${post.id}/${post.slug}#${anchor}` : `/replies/${post.id}`;
  return reply.redirect(back, 303);
}
