import { excerpt } from '../format.js';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { renderMarkdown } from '../markdown.js';
import { authorColumns } from '../posts/authors.js';
import type { AreaRatings, Sentiment } from '../posts/vocabulary.js';
import { recountAround } from '../reputation/aggregates.js';
import { restandStory } from '../reputation/story-standing.js';
import type { Anonymity } from '../security/anonymity.js';
import { recordAnonymousPost } from '../security/anonymous-ledger.js';
import type { Member } from '../security/member.js';
import { slugify } from '../vendors/names.js';
import { findOrCreateVendors } from '../vendors/queries.js';
import { claimAnonymousVoices, releaseAnonymousVoices } from './anonymous-voices.js';
import { findTwin, lockSubmissions } from './double-submit.js';
import { insertRevision } from './revisions.js';
import {
  insertThread,
  insertThreadVendors,
  markThreadDeleted,
  nextThreadId,
  replaceThreadAreas,
  updateThread,
} from './story-queries.js';
import { listStoryVendorIds, normalizeTier } from './tiers.js';
import { OwnVendorStory, representedVendorId } from './official-responses.js';

/** A story as its author edits it. */
export interface StoryEdit {
  title: string;
  body: string;
  sentiment: Sentiment;
  tier: string | null;
  areas: AreaRatings;
}

/** A story as posted: what an edit may change, and its vendors and anonymity, which it may not. */
export interface StoryInput extends StoryEdit {
  vendorNames: string[];
  anonymous: boolean;
}

/** A new story's standing: it counts for its vendors from the start. */
const VISIBLE = { deleted: false, hidden: false, held: false };
/** Characters of a story's opening kept for lists. */
const STORED_EXCERPT = 240;

/**
 * Posts a story in one transaction: vendors found or created, tags, ratings and counts.
 * The same member sending the same title and body again within a minute gets the first story
 * back instead of a second one (`duplicate: true`).
 */
export async function createStory(
  db: Kysely<DB>,
  anonymity: Anonymity,
  member: Member,
  input: StoryInput,
) {
  // Formatted before the transaction, so that no connection or lock waits on a worker; rejects
  // with MarkdownTooComplex, as do the edits and replies.
  const bodyHtml = await renderMarkdown(input.body);
  return inTransaction(db, async (trx) => {
    await lockSubmissions(trx, 'story', member.id);
    const twin = await findTwin(trx, anonymity, member, input);
    if (twin) return { id: twin.id, slug: twin.slug, duplicate: true };
    const story = await insertStory(trx, anonymity, member, input, bodyHtml);
    return { ...story, duplicate: false };
  });
}

async function insertStory(
  trx: Transaction<DB>,
  anonymity: Anonymity,
  member: Member,
  input: StoryInput,
  bodyHtml: string,
) {
  // Two names of one vendor (aliases) tag it once.
  const vendors = uniqueById(await findOrCreateVendors(trx, input.vendorNames));
  const represented = await representedVendorId(trx, member.id);
  const own = vendors.find((vendor) => vendor.id === represented);
  if (own) throw new OwnVendorStory(own.name);
  if (input.anonymous) await claimAnonymousVoices(trx, anonymity, member, vendors);
  const tier = await normalizeTier(
    trx,
    input.tier,
    vendors.map((vendor) => vendor.id),
  );
  const id = await nextThreadId(trx);
  const slug = slugify(input.title, 80);
  await insertThread(trx, {
    id,
    title: input.title.trim(),
    slug,
    body_source: input.body,
    body_html: bodyHtml,
    excerpt: excerpt(bodyHtml, STORED_EXCERPT),
    sentiment: input.sentiment,
    tier: tier?.label ?? null,
    tier_key: tier?.key ?? null,
    vendor_tags: JSON.stringify(vendors.map(({ id, name, slug }) => ({ id, name, slug }))),
    ...authorColumns(id, member, input.anonymous, anonymity),
  });
  // Anonymous stories carry no per-author key: each is a voice of its own.
  const voices = vendors.map(({ id: vendorId }) => ({
    vendorId,
    voiceKey: input.anonymous ? null : anonymity.namedVoice(vendorId, member.id),
  }));
  await insertThreadVendors(trx, id, voices);
  if (input.anonymous) await recordAnonymousPost(trx, anonymity, member.id, { kind: 'thread', id });
  await replaceThreadAreas(trx, id, input.areas);
  await restandStory(trx, id, null, VISIBLE);
  return { id, slug };
}

function uniqueById<T extends { id: number }>(rows: T[]): T[] {
  return rows.filter((row, index) => rows.findIndex((other) => other.id === row.id) === index);
}

/** Saves an edit, keeping the earlier text as a revision. Ownership is the caller's check. */
export async function editStory(
  db: Kysely<DB>,
  previous: {
    id: number;
    title: string;
    body_source: string;
    anonymous: boolean;
    created_at: Date;
    edited_at: Date | null;
  },
  edit: StoryEdit,
) {
  const bodyHtml = await renderMarkdown(edit.body);
  await inTransaction(db, async (trx) => {
    await insertRevision(trx, {
      thread_id: previous.id,
      title: previous.title,
      body_source: previous.body_source,
      created_at: previous.edited_at ?? previous.created_at,
    });
    const tier = await normalizeTier(trx, edit.tier, await listStoryVendorIds(trx, previous.id));
    const changes = {
      title: edit.title.trim(),
      slug: slugify(edit.title, 80),
      body_source: edit.body,
      body_html: bodyHtml,
      excerpt: excerpt(bodyHtml, STORED_EXCERPT),
      sentiment: edit.sentiment,
      tier: tier?.label ?? null,
      tier_key: tier?.key ?? null,
    };
    await recountAround(trx, previous.id, async () => {
      await updateThread(trx, previous.id, changes, previous.anonymous);
      await replaceThreadAreas(trx, previous.id, edit.areas);
    });
  });
}

/**
 * Deletes a story at its author's request. An anonymous story gives its author's voice for its
 * vendors back, so they may tell another.
 */
export async function deleteStory(
  db: Kysely<DB>,
  anonymity: Anonymity,
  author: Member,
  threadId: number,
) {
  await inTransaction(db, async (trx) => {
    const {
      hidden_at: hiddenAt,
      held_for_review: held,
      anonymous,
    } = await trx
      .selectFrom('threads')
      .select(['hidden_at', 'held_for_review', 'anonymous'])
      .where('id', '=', threadId)
      .executeTakeFirstOrThrow();
    await markThreadDeleted(trx, threadId);
    // A story hidden by moderators has left its vendors' counts already; one held for review
    // because of reports has not.
    const standing = { deleted: false, hidden: hiddenAt !== null, held };
    await restandStory(trx, threadId, standing, { ...standing, deleted: true });
    if (anonymous) await releaseAnonymousVoices(trx, anonymity, author.id, threadId);
  });
}
