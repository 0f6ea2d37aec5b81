import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { FieldErrors } from '../forms.js';
import { stringFields } from '../forms.js';
import { notFound } from '../http-errors.js';
import { formResult } from '../plugins/validation.js';
import { SlugParams } from '../schemas.js';
import { memberOf, requireActiveRole, requireRole } from '../security/guards.js';
import type { Member, VendorRef } from '../security/member.js';
import { writeLimit } from '../security/rate-limits.js';
import { findVendorBySlug } from '../vendors/queries.js';
import {
  RepresentativeRefused,
  grantRepresentative,
  listRepresentativeLog,
  listRepresentatives,
  withdrawRepresentative,
} from './representatives.js';

const RepresentativeForm = Type.Object({
  username: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '\\S',
    errorMessage: 'Name the member by their username.',
  }),
  reason: Type.String({
    pattern: '^\\s*\\S[\\s\\S]{1,498}\\S\\s*$',
    errorMessage: 'Give a reason of 3–500 characters: it goes into the moderation log.',
  }),
  action: Type.Optional(
    Type.Union([Type.Literal('grant'), Type.Literal('withdraw')], {
      errorMessage: 'Grant or withdraw.',
    }),
  ),
});

type Form = { values: Record<string, string>; errors: FieldErrors };

/**
 * A vendor's moderation page (/mod/vendors/:slug): its representatives, and for admins the form
 * that grants or withdraws "representative of this vendor", logged with its reason.
 */
export const vendorModerationRoutes: FastifyPluginAsyncTypebox<{
  config: Readonly<Config>;
}> = async (app, { config }) => {
  app.get(
    '/mod/vendors/:slug',
    { preHandler: requireRole('moderator'), schema: { params: SlugParams } },
    async (request, reply) => {
      const vendor = await vendorOr404(app, request.params.slug);
      return renderVendorPage(app, reply, vendor, memberOf(request));
    },
  );

  app.post(
    '/mod/vendors/:slug/representatives',
    {
      preHandler: requireActiveRole('admin'),
      config: writeLimit(config),
      attachValidation: true,
      schema: { params: SlugParams, body: RepresentativeForm },
    },
    async (request, reply) => {
      const vendor = await vendorOr404(app, request.params.slug);
      const admin = memberOf(request);
      const answer = formResult<typeof RepresentativeForm>(request);
      const values = stringFields(request.body);
      const refuse = (errors: FieldErrors, status: number) =>
        renderVendorPage(app, reply, vendor, admin, { values, errors }, status);
      if (!answer.ok) return refuse(answer.errors, 400);
      const change = {
        vendor,
        username: answer.values.username.trim(),
        reason: answer.values.reason.trim(),
      };
      try {
        if (answer.values.action === 'withdraw')
          await withdrawRepresentative(app.db, admin, change);
        else await grantRepresentative(app.db, admin, change);
      } catch (error) {
        if (!(error instanceof RepresentativeRefused)) throw error;
        return refuse({ username: error.message }, error.statusCode);
      }
      return reply.redirect(`/mod/vendors/${vendor.slug}`, 303);
    },
  );
};

async function vendorOr404(app: FastifyInstance, slug: string): Promise<VendorRef> {
  const vendor = await findVendorBySlug(app.db, slug);
  if (!vendor) throw notFound('There is no such vendor.');
  return { id: vendor.id, name: vendor.name, slug: vendor.slug };
}

async function renderVendorPage(
  app: FastifyInstance,
  reply: FastifyReply,
  vendor: VendorRef,
  viewer: Member,
  form: Form = { values: {}, errors: {} },
  status = 200,
) {
  const [representatives, log] = await Promise.all([
    listRepresentatives(app.db, vendor.id),
    listRepresentativeLog(app.db, vendor),
  ]);
  return reply.page(
    'moderation/vendor',
    {
      title: `Moderate ${vendor.name}`,
      vendor,
      representatives,
      log,
      canGrant: viewer.role === 'admin',
      form,
    },
    status,
  );
}
