import type { Migration } from 'kysely';
import * as accounts from './0001_accounts.js';
import * as stories from './0002_stories.js';
import * as votesReputation from './0003_votes_reputation.js';
import * as moderation from './0004_moderation.js';
import * as search from './0005_search.js';
import * as notifications from './0006_notifications.js';
import * as anonymityAtRest from './0007_anonymity_at_rest.js';
import * as lookalikeKeys from './0008_lookalike_keys.js';
import * as dropSuspendedUntil from './0009_drop_users_suspended_until.js';
import * as vendorResponses from './0010_vendor_responses.js';
import * as vendorSearch from './0011_vendor_search.js';
import * as vendorProfiles from './0012_vendor_profiles.js';
import * as tierAreaStats from './0013_tier_area_stats.js';
import * as programChanges from './0014_program_changes.js';
import * as email from './0015_email.js';
import * as storyExcerpts from './0016_story_excerpts.js';
import * as deletedSlugs from './0017_deleted_slugs.js';
import * as responseStatsCovering from './0018_response_stats_covering.js';
import * as replyTwins from './0019_reply_twins.js';

// Every migration, by the name it is recorded under. Listed here rather than read from the folder
// so that the same list runs under tsx, vitest and a bundler; a test checks none is left out.
export const migrations: Record<string, Migration> = {
  '0001_accounts': accounts,
  '0002_stories': stories,
  '0003_votes_reputation': votesReputation,
  '0004_moderation': moderation,
  '0005_search': search,
  '0006_notifications': notifications,
  '0007_anonymity_at_rest': anonymityAtRest,
  '0008_lookalike_keys': lookalikeKeys,
  '0009_drop_users_suspended_until': dropSuspendedUntil,
  '0010_vendor_responses': vendorResponses,
  '0011_vendor_search': vendorSearch,
  '0012_vendor_profiles': vendorProfiles,
  '0013_tier_area_stats': tierAreaStats,
  '0014_program_changes': programChanges,
  '0015_email': email,
  '0016_story_excerpts': storyExcerpts,
  '0017_deleted_slugs': deletedSlugs,
  '0018_response_stats_covering': responseStatsCovering,
  '0019_reply_twins': replyTwins,
};
