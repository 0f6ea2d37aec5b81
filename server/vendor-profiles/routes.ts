import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import { inTransaction } from '../db/transaction.js';
import { stringFields, type FieldErrors } from '../forms.js';
import { HttpError, notFound } from '../http-errors.js';
import { appendLog } from '../moderation/queries.js';
import { formResult } from '../plugins/validation.js';
import { SUPPORT_AREAS } from '../posts/vocabulary.js';
import { SlugParams } from '../schemas.js';
import { memberOf, requireActiveMember } from '../security/guards.js';
import type { Member, VendorRef } from '../security/member.js';
import { writeLimit } from '../security/rate-limits.js';
import {
  MAX_TIERS,
  PROFILE_LIMITS,
  TIER_PROMISES,
  VENDOR_CATEGORIES,
  findVendorProfile,
  listProfileRevisions,
  mayEditVendorProfile,
  profileFormValues,
  readProfileForm,
  saveVendorProfile,
  tierField,
  tierRowCount,
} from '../vendors/profile.js';
import { findVendorBySlug } from '../vendors/queries.js';
import { redirectMerged } from '../vendors/redirects.js';
import { programChangeRoutes } from './change-routes.js';

const field = (maxLength: number, errorMessage: string) =>
  Type.Optional(Type.String({ maxLength, errorMessage }));

/**
 * The edit form as sent. Its rules (addresses, categories, names, order, one name per tier) are
 * readProfileForm's, so that every field's problem is told at once; this only bounds the input.
 */
const ProfileEditForm = Type.Object({
  website: field(2000, 'Give the website as a web address starting with https://.'),
  category: field(40, 'Choose a category from the list.'),
  program: field(1000, `Keep the program's name to ${PROFILE_LIMITS.programName} characters.`),
  note: field(5000, `Keep the note to ${PROFILE_LIMITS.note} characters.`),
  ...Object.fromEntries(
    Array.from({ length: MAX_TIERS }, (_, index) => index + 1).flatMap((row) => [
      [
        tierField(row, 'name'),
        field(1000, `Keep a tier's name to ${PROFILE_LIMITS.tierLabel} characters.`),
      ],
      [tierField(row, 'order'), field(20, 'Give the place as a whole number from 1 to 99.')],
      ...SUPPORT_AREAS.map(({ key }): [string, TSchema] => [
        tierField(row, key),
        field(20, 'Choose promised, not promised or unknown.'),
      ]),
    ]),
  ),
});

/**
 * A vendor's profile (website, category, program, tiers and their promises), edited by
 * moderators and the vendor's own representatives at /vendors/:slug/edit. Every change is one
 * transaction: the profile, a revision of the previous one, and a moderation log entry.
 */
export const vendorProfileRoutes: FastifyPluginAsyncTypebox<{ config: Readonly<Config> }> = async (
  app,
  { config },
) => {
  await app.register(programChangeRoutes, { config });
  app.get(
    '/vendors/:slug/edit',
    { preHandler: requireActiveMember, schema: { params: SlugParams } },
    async (request, reply) => {
      const found = await findVendorBySlug(app.db, request.params.slug);
      if (!found) return redirectMerged(app, reply, request.params.slug, '/edit');
      const vendor = editableVendor(found, memberOf(request));
      const profile = await findVendorProfile(app.db, vendor.id);
      return renderEditPage(app, reply, vendor, memberOf(request), profileFormValues(profile));
    },
  );

  app.post(
    '/vendors/:slug/edit',
    {
      preHandler: requireActiveMember,
      config: writeLimit(config),
      attachValidation: true,
      schema: { params: SlugParams, body: ProfileEditForm },
    },
    async (request, reply) => {
      const found = await findVendorBySlug(app.db, request.params.slug);
      if (!found) throw notFound('There is no such vendor.');
      const member = memberOf(request);
      const vendor = editableVendor(found, member);
      const answer = formResult<typeof ProfileEditForm>(request);
      const values = stringFields(request.body);
      const form = readProfileForm(values);
      // The bounds' messages where the input broke them, the rules' for every other field.
      const errors = { ...(form.ok ? {} : form.errors), ...(answer.ok ? {} : answer.errors) };
      if (!form.ok || Object.keys(errors).length > 0)
        return renderEditPage(app, reply, vendor, member, values, errors, 400);
      const asRepresentative = member.represents?.id === vendor.id;
      await inTransaction(app.db, async (trx) => {
        const summary = await saveVendorProfile(trx, vendor.id, form.profile, {
          username: member.username,
          asRepresentative,
        });
        if (summary === null) return;
        await appendLog(trx, {
          moderator: member.username,
          action: 'edit-vendor-profile',
          vendor: `${vendor.name} (${vendor.slug})`,
          detail: asRepresentative ? "by the vendor's representative" : null,
          reason: form.note ? `${form.note} (changed: ${summary})` : `Changed ${summary}.`,
        });
      });
      return reply.redirect(`/vendors/${vendor.slug}#profile`, 303);
    },
  );
};

/** The vendor, if the member may edit its profile; a 403 page otherwise. */
function editableVendor(vendor: VendorRef, member: Member): VendorRef {
  if (!mayEditVendorProfile(member, vendor.id))
    throw new HttpError(
      403,
      `Only moderators and the representatives of ${vendor.name} may edit its profile.`,
    );
  return { id: vendor.id, name: vendor.name, slug: vendor.slug };
}

async function renderEditPage(
  app: FastifyInstance,
  reply: FastifyReply,
  vendor: VendorRef,
  member: Member,
  values: Record<string, string>,
  errors: FieldErrors = {},
  status = 200,
) {
  const [profile, revisions] = await Promise.all([
    findVendorProfile(app.db, vendor.id),
    listProfileRevisions(app.db, vendor.id),
  ]);
  return reply.page(
    'vendors/edit',
    {
      title: `Edit the profile of ${vendor.name}`,
      vendor,
      profile,
      revisions,
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
      rows: tierRowCount(values),
      maxTiers: MAX_TIERS,
      categories: VENDOR_CATEGORIES,
      promises: TIER_PROMISES,
      areas: SUPPORT_AREAS,
      limits: PROFILE_LIMITS,
      asRepresentative: member.represents?.id === vendor.id,
    },
    status,
  );
}
