import type { FastifyInstance } from 'fastify';
import { pageNumber } from '../pagination.js';
import { loadThreadList } from '../threads/thread-list.js';
import { parseOrdering } from '../threads/sorting.js';

export async function homeRoutes(app: FastifyInstance) {
  app.get('/', async (request, reply) => {
    const ordering = parseOrdering(request);
    const { sort, period } = ordering;
    const threads = await loadThreadList(app, { sort, period }, pageNumber(request.query));
    return reply.page('home/index', {
      title: 'Stories',
      threads,
      ordering,
      sortPath: '/',
      pagePrefix: ordering.pagePrefix('/'),
    });
  });
}
