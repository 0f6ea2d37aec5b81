import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { HttpError, notFound, parseId } from '../http-errors.js';
import { requireActiveMember } from '../security/guards.js';
import { isAuthor } from '../posts/authors.js';
import { writeLimit } from '../security/rate-limits.js';
import type { PostKind } from '../posts/vocabulary.js';
import { castVote, findVoteTarget, type VoteValue } from './queries.js';

const VALUES: Record<string, VoteValue> = { up: 1, down: -1, none: 0 };

export async function voteRoutes(app: FastifyInstance, { config }: { config: Readonly<Config> }) {
  const options = { preHandler: requireActiveMember, config: writeLimit(config) };
  app.post('/threads/:id/vote', options, (request: IdRequest, reply) =>
    vote(app, 'thread', request, reply),
  );
  app.post('/replies/:id/vote', options, (request: IdRequest, reply) =>
    vote(app, 'reply', request, reply),
  );
}

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/**
 * Up, down or none. A browser form is sent back to the post; the page's script asks for JSON
 * and updates the score in place.
 */
async function vote(app: FastifyInstance, kind: PostKind, request: IdRequest, reply: FastifyReply) {
  const post = await findVoteTarget(app.db, kind, parseId(request.params.id));
  if (!post) throw notFound(`There is no such ${kind === 'thread' ? 'story' : 'reply'}.`);
  const value = VALUES[(request.body as Record<string, unknown> | undefined)?.value as string];
  if (value === undefined) throw new HttpError(400, 'A vote is "up", "down" or "none".');
  if (post.deleted_at) throw new HttpError(409, 'This post was deleted; it takes no votes.');
  if (post.hidden_at) throw new HttpError(409, 'This post is hidden and takes no votes.');
  if (isAuthor(post, post.thread_id, request.member, app.anonymity)) {
    throw new HttpError(403, 'You cannot vote on your own post.');
  }
  const score = await castVote(app.db, kind, post.id, request.member!.id, value);
  if ((request.headers.accept ?? '').includes('application/json')) return { score, vote: value };
  const anchor = kind === 'thread' ? 'story' : `reply-${post.id}`;
  const back =
    kind === 'thread' ? `/threads/${post.id}/${post.slug}#${anchor}` : `/replies/${post.id}`;
  return reply.redirect(back, 303);
}
