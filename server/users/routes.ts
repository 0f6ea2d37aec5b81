import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { notFound } from '../http-errors.js';
import { PageQuery } from '../schemas.js';
import { loadThreadList } from '../threads/thread-list.js';
import { countPublicPosts, findProfile, listPublicReplies } from './queries.js';

const ProfileParams = Type.Object({ username: Type.String() });

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users/:username',
    { schema: { params: ProfileParams, querystring: PageQuery } },
    async (request, reply) => {
      const profile = await findProfile(app.db, request.params.username);
      if (!profile) throw notFound('There is no member with that name.');
      const [counts, threads, replies] = await Promise.all([
        countPublicPosts(app.db, profile.id),
        loadThreadList(app, { authorId: profile.id }, request.query.page ?? 1),
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
    },
  );
};
