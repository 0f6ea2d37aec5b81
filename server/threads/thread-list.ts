import type { FastifyInstance } from 'fastify';
import { offsetOf, toPage } from '../pagination.js';
import { withAuthor } from './authors.js';
import { listThreads, listVendorsOfThreads, type ThreadListFilter } from './queries.js';

export const THREADS_PER_PAGE = 20;

/** A page of story summaries with their vendors: two queries, however many stories it shows. */
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
  const vendors = await listVendorsOfThreads(
    app.db,
    result.items.map((thread) => thread.id),
  );
  const byThread = new Map<number, typeof vendors>();
  for (const vendor of vendors)
    byThread.set(vendor.thread_id, [...(byThread.get(vendor.thread_id) ?? []), vendor]);
  return {
    ...result,
    items: result.items.map((thread) => ({
      ...withAuthor(thread, app.anonymity),
      vendors: byThread.get(thread.id) ?? [],
    })),
  };
}
