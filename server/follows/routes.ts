import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { HttpError } from '../http-errors.js';
import { checkedBody } from '../plugins/validation.js';
import { SlugParams } from '../schemas.js';
import { memberOf, requireMember } from '../security/guards.js';
import { writeLimit } from '../security/rate-limits.js';
import { safeNextPath } from '../security/redirects.js';
import { findVendorBySlug } from '../vendors/queries.js';
import { follow, unfollow } from './queries.js';

const FollowForm = Type.Object({
  action: Type.Union([Type.Literal('follow'), Type.Literal('unfollow')], {
    errorMessage: 'Choose to follow or to unfollow.',
  }),
  /** Where the button was: the vendor page, or the account page's list. */
  back: Type.Optional(Type.String({ maxLength: 300 })),
});

/**
 * Following a vendor: new stories about it become notices (server/notifications/derived.ts),
 * and mail if the member chose it. Following is private: only the member sees what they follow.
 */
export const followRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  app.post(
    '/vendors/:slug/follow',
    {
      preHandler: requireMember,
      schema: { params: SlugParams, body: FollowForm },
      attachValidation: true,
      config: writeLimit(config),
    },
    async (request, reply) => {
      const form = checkedBody(request);
      const vendor = await findVendorBySlug(app.db, request.params.slug);
      if (!vendor) throw new HttpError(404, 'There is no vendor at this address.');
      const memberId = memberOf(request).id;
      if (form.action === 'follow') await follow(app.db, memberId, vendor.id);
      else await unfollow(app.db, memberId, vendor.id);
      const back = form.back ? safeNextPath(form.back) : `/vendors/${vendor.slug}`;
      return reply.redirect(back, 303);
    },
  );
};
