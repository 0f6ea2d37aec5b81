import type { FastifyInstance } from 'fastify';
import { offsetOf, toPage } from '../pagination.js';
import { withAuthor } from '../posts/authors.js';
import { listThreads, type ThreadListFilter } from './queries.js';

export const THREADS_PER_PAGE = 20;

/** A page of story summaries with their vendors: one query, however many stories it shows. */
export async function loadThreadList(
  app: FastifyInstance,
  filter: Omit<ThreadListFilter, 'offset' | 'limit'>,
  page: number,
  perPage = THREADS_PER_PAGE,
) {
  const rows = await listThreads(app.db, {
    ...filter,
    offset: offsetOf(page, perPage),
    limit: perPage,
  });
  const result = toPage(rows, page, perPage);
  return { ...result, items: result.items.map((thread) => withAuthor(thread)) };
}
