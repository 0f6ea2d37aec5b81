import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http-errors.js';
import { pageNumber } from '../pagination.js';
import { loadThreadList } from '../threads/thread-list.js';

const SORTS = ['new'];

export async function homeRoutes(app: FastifyInstance) {
  app.get('/', async (request, reply) => {
    const sort = (request.query as Record<string, unknown>).sort ?? 'new';
    if (typeof sort !== 'string' || !SORTS.includes(sort)) {
      throw new HttpError(400, `Stories can be sorted by: ${SORTS.join(', ')}.`);
    }
    const threads = await loadThreadList(app, {}, pageNumber(request.query));
    return reply.page('home/index', { title: 'Stories', threads, basePath: '/', sort });
  });
}
