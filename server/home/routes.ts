import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PageQuery } from '../schemas.js';
import { loadThreadList } from '../threads/thread-list.js';
import { OrderingQuery, parseOrdering } from '../threads/sorting.js';

const HomeQuery = Type.Object({ ...PageQuery.properties, ...OrderingQuery.properties });

export const homeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { schema: { querystring: HomeQuery } }, async (request, reply) => {
    const ordering = parseOrdering(request.query);
    const { sort, period } = ordering;
    const threads = await loadThreadList(app, { sort, period }, request.query.page ?? 1);
    return reply.page('home/index', {
      title: 'Stories',
      threads,
      ordering,
      sortPath: '/',
      pagePrefix: ordering.pagePrefix('/'),
    });
  });
};
