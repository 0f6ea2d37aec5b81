import type { FastifyInstance } from 'fastify';
import { notFound } from '../http-errors.js';
import { pageNumber } from '../pagination.js';
import { loadThreadList } from '../threads/thread-list.js';
import { countPublicPosts, findProfile, listPublicReplies } from './queries.js';

export async function userRoutes(app: FastifyInstance) {
  app.get<{ Params: { username: string } }>('/users/:username', async (request, reply) => {
    const profile = await findProfile(app.db, request.params.username);
    if (!profile) throw notFound('There is no member with that name.');
    const [counts, threads, replies] = await Promise.all([
      countPublicPosts(app.db, profile.id),
      loadThreadList(app, { authorId: profile.id }, pageNumber(request.query)),
      listPublicReplies(app.db, profile.id, 20),
    ]);
    return reply.page('users/show', {
      title: profile.username,
      profile,
      counts,
      threads,
      replies,
      pagePrefix: `/users/${encodeURIComponent(profile.username)}?`,
    });
  });
}
