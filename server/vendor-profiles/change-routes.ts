import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { inTransaction } from '../db/transaction.js';
import { stringFields, type FieldErrors } from '../forms.js';
import { HttpError, notFound } from '../http-errors.js';
import { appendLog } from '../moderation/queries.js';
import { SlugParams } from '../schemas.js';
import { memberOf, requireActiveMember } from '../security/guards.js';
import type { Member, VendorRef } from '../security/member.js';
import { writeLimit } from '../security/rate-limits.js';
import { mayEditVendorProfile } from '../vendors/profile.js';
import { CHANGE_LIMITS, insertProgramChange, readChangeForm } from '../vendors/program-changes.js';
import { findVendorBySlug } from '../vendors/queries.js';

const ChangeForm = Type.Object({
  date: Type.Optional(Type.String({ maxLength: 40 })),
  summary: Type.Optional(Type.String({ maxLength: 2000 })),
  source: Type.Optional(Type.String({ maxLength: 2000 })),
});

/**
 * Program changes: moderators and the vendor's representatives record a dated change to its
 * partner program (/vendors/:slug/changes/new), logged with the change in one transaction.
 */
export const programChangeRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  app.get(
    '/vendors/:slug/changes/new',
    { preHandler: requireActiveMember, schema: { params: SlugParams } },
    async (request, reply) => {
      const vendor = await editableVendor(app, request.params.slug, memberOf(request));
      return renderForm(reply, vendor, memberOf(request));
    },
  );

  app.post(
    '/vendors/:slug/changes',
    {
      preHandler: requireActiveMember,
      config: writeLimit(config),
      schema: { params: SlugParams, body: ChangeForm },
    },
    async (request, reply) => {
      const member = memberOf(request);
      const vendor = await editableVendor(app, request.params.slug, member);
      const form = readChangeForm(stringFields(request.body));
      if (!form.ok) return renderForm(reply, vendor, member, form.values, form.errors, 400);
      await inTransaction(app.db, async (trx) => {
        await insertProgramChange(trx, vendor.id, member, form.change);
        await appendLog(trx, {
          moderator: member.username,
          action: 'record-program-change',
          vendor: `${vendor.name} (${vendor.slug})`,
          detail: member.role === 'member' ? "by the vendor's representative" : null,
          reason: `${form.change.changedOn}: ${form.change.summary}`,
        });
      });
      return reply.redirect(`/vendors/${vendor.slug}#changes`, 303);
    },
  );
};

async function editableVendor(app: FastifyInstance, slug: string, member: Member) {
  const vendor = await findVendorBySlug(app.db, slug);
  if (!vendor) throw notFound('There is no such vendor.');
  if (!mayEditVendorProfile(member, vendor.id))
    throw new HttpError(
      403,
      `Only moderators and the representatives of ${vendor.name} may record changes to its program.`,
    );
  return { id: vendor.id, name: vendor.name, slug: vendor.slug };
}

function renderForm(
  reply: FastifyReply,
  vendor: VendorRef,
  member: Member,
  values: Record<string, string> = {},
  errors: FieldErrors = {},
  status = 200,
) {
  return reply.page(
    'vendors/change',
    {
      title: `Record a change to ${vendor.name}'s program`,
      vendor,
      values,
      errors,
      limits: CHANGE_LIMITS,
      asRepresentative: member.role === 'member' && member.represents?.id === vendor.id,
    },
    status,
  );
}
