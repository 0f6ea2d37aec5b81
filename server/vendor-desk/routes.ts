import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HttpError } from '../http-errors.js';
import { offsetOf, toPage } from '../pagination.js';
import { withAuthor } from '../posts/authors.js';
import { PageNumber } from '../schemas.js';
import { memberOf, requireMember } from '../security/guards.js';
import { listNotResolved, listUnanswered } from './queries.js';

const PER_PAGE = 20;

const DeskQuery = Type.Object({
  page: Type.Optional(PageNumber),
  /** The page of the "not resolved" list. */
  unresolved: Type.Optional(PageNumber),
});

/**
 * /vendor-desk: a representative's work list. Stories about their vendor still waiting for an
 * official response, oldest first, and answered ones whose authors say were not resolved. It
 * shows nothing any member could not see on the vendor's page.
 */
export const vendorDeskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/vendor-desk',
    { preHandler: requireMember, schema: { querystring: DeskQuery } },
    async (request, reply) => {
      const vendor = memberOf(request).represents ?? null;
      if (!vendor)
        throw new HttpError(
          403,
          "The vendor desk is for vendors' representatives. An admin can make you one on the vendor's moderation page.",
        );
      const page = request.query.page ?? 1;
      const unresolvedPage = request.query.unresolved ?? 1;
      const [unanswered, notResolved] = await Promise.all([
        listUnanswered(app.db, vendor.id, offsetOf(page, PER_PAGE), PER_PAGE),
        listNotResolved(app.db, vendor.id, offsetOf(unresolvedPage, PER_PAGE), PER_PAGE),
      ]);
      const list = (rows: typeof unanswered, at: number) => {
        const result = toPage(rows, at, PER_PAGE);
        return { ...result, items: result.items.map((row) => withAuthor(row)) };
      };
      return reply.page('vendor-desk/index', {
        title: `Vendor desk: ${vendor.name}`,
        vendor,
        unanswered: list(unanswered, page),
        notResolved: list(notResolved, unresolvedPage),
        unresolvedPage,
        page,
      });
    },
  );
};
