import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../http-errors.js';

/** A merged vendor's old address answers 301 to the vendor it was merged into. */
export async function redirectMerged(
  app: FastifyInstance,
  reply: FastifyReply,
  slug: string,
  suffix: string,
) {
  const moved = await app.db
    .selectFrom('vendor_redirects')
    .innerJoin('vendors', 'vendors.id', 'vendor_redirects.vendor_id')
    .select('vendors.slug')
    .where('vendor_redirects.old_slug', '=', slug)
    .executeTakeFirst();
  if (!moved) throw notFound('There is no vendor at this address.');
  return reply.redirect(`/vendors/${moved.slug}${suffix}`, 301);
}
