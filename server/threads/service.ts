import { sql, type Kysely } from 'kysely';
import type { Member } from '../security/member.js';
import type { DB } from '../db/schema.js';
import type { Sentiment, AreaRatings } from '../posts/vocabulary.js';
import { inTransaction } from '../db/transaction.js';
import { renderMarkdown } from '../markdown.js';
import { recountAround } from '../reputation/aggregates.js';
import { restandStory } from '../reputation/story-standing.js';
import type { Anonymity } from '../security/anonymity.js';
import { readLedger, recordAnonymousPost } from '../security/anonymous-ledger.js';
import { slugify, tidyName, tierMatchKey } from '../vendors/names.js';
import { findOrCreateVendors } from '../vendors/queries.js';
import { authorColumns, isAuthor } from '../posts/authors.js';
import {
  findTierLabel,
  insertReply,
  insertRevision,
  insertThread,
  insertThreadVendors,
  listRecentReplyTwins,
  listRecentTwins,
  listThreadVendorIds,
  markReplyDeleted,
  markThreadDeleted,
  nextThreadId,
  recordTierUse,
  replaceThreadAreas,
  updateReply,
  updateThread,
} from './queries.js';

export interface StoryInput {
  title: string;
  body: string;
  vendorNames: string[];
  sentiment: Sentiment;
  tier: string | null;
  anonymous: boolean;
  areas: AreaRatings;
}

const DOUBLE_SUBMIT_WINDOW_MS = 60_000;
/** A new story's standing: it counts for its vendors from the start. */
const VISIBLE = { deleted: false, hidden: false, held: false };

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
  // with MarkdownTooComplex, as do the edits and replies below.
  const bodyHtml = await renderMarkdown(input.body);
  return inTransaction(db, async (trx) => {
    // Serializes one member's submissions, so that a double click cannot slip past the twin check.
    await sql`select pg_advisory_xact_lock(hashtext(${`story-submit:${member.id}`}))`.execute(trx);
    const twin = await findTwin(trx, anonymity, member, input);
    if (twin) return { id: twin.id, slug: twin.slug, duplicate: true };

    // Two names of one vendor (aliases) tag it once.
    const vendors = uniqueById(await findOrCreateVendors(trx, input.vendorNames));
    if (input.anonymous) await claimAnonymousVoices(trx, anonymity, member, vendors);
    const tier = await normalizeTier(trx, input.tier);
    const id = await nextThreadId(trx);
    const slug = slugify(input.title, 80);
    await insertThread(trx, {
      id,
      title: input.title.trim(),
      slug,
      body_source: input.body,
      body_html: bodyHtml,
      sentiment: input.sentiment,
      tier: tier?.label ?? null,
      tier_key: tier?.key ?? null,
      vendor_tags: JSON.stringify(vendors.map(({ id, name, slug }) => ({ id, name, slug }))),
      ...authorColumns(id, member, input.anonymous, anonymity),
    });
    const vendorIds = vendors.map((vendor) => vendor.id);
    // Anonymous stories carry no per-author key: each is a voice of its own.
    const voices = vendorIds.map((vendorId) => ({
      vendorId,
      voiceKey: input.anonymous ? null : anonymity.namedVoice(vendorId, member.id),
    }));
    await insertThreadVendors(trx, id, voices);
    if (input.anonymous)
      await recordAnonymousPost(trx, anonymity, member.id, { kind: 'thread', id });
    await replaceThreadAreas(trx, id, input.areas);
    await restandStory(trx, id, null, VISIBLE);
    return { id, slug, duplicate: false };
  });
}

/** Refused, to its author only: a second anonymous story about a vendor they hold one about. */
export class SecondAnonymousStory extends Error {
  constructor(
    readonly vendorName: string,
    readonly existing: { id: number; slug: string; hidden: boolean } | null,
  ) {
    super(`You already have an anonymous story about ${vendorName}.`);
  }
}

/**
 * One counted anonymous story per member and vendor. The check goes through a keyed hash of
 * (member, vendor) that references no story, so the rule links nothing in a dump, and a second
 * story is refused rather than replacing the first (which the public counts would show).
 */
async function claimAnonymousVoices(
  db: Kysely<DB>,
  anonymity: Anonymity,
  member: Member,
  vendors: { id: number; name: string }[],
) {
  for (const vendor of vendors) {
    const claimed = await db
      .insertInto('anonymous_voices')
      .values({ voice: anonymity.anonymousVoice(vendor.id, member.id) })
      .onConflict((oc) => oc.doNothing())
      .returning('voice')
      .executeTakeFirst();
    if (!claimed)
      throw new SecondAnonymousStory(
        vendor.name,
        await findOwnAnonymousStory(db, anonymity, member.id, vendor.id),
      );
  }
}

async function findOwnAnonymousStory(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  vendorId: number,
) {
  const { threads } = await readLedger(db, anonymity, memberId);
  if (threads.length === 0) return null;
  const row = await db
    .selectFrom('threads')
    .innerJoin('thread_vendors', 'thread_vendors.thread_id', 'threads.id')
    .select([
      'threads.id',
      'threads.slug',
      sql<boolean>`threads.hidden_at is not null`.as('hidden'),
    ])
    .where('threads.id', 'in', threads)
    .where('thread_vendors.vendor_id', '=', vendorId)
    .where('threads.deleted_at', 'is', null)
    .orderBy('threads.id', 'desc')
    .executeTakeFirst();
  return row ?? null;
}

function uniqueById<T extends { id: number }>(rows: T[]): T[] {
  return rows.filter((row, index) => rows.findIndex((other) => other.id === row.id) === index);
}

async function findTwin(db: Kysely<DB>, anonymity: Anonymity, member: Member, input: StoryInput) {
  const since = new Date(Date.now() - DOUBLE_SUBMIT_WINDOW_MS);
  const candidates = await listRecentTwins(db, input.title.trim(), input.body, since);
  return candidates.find((candidate) =>
    isAuthor(
      { ...candidate, anonymous: candidate.author_tag !== null },
      candidate.id,
      member,
      anonymity,
    ),
  );
}

/** The member's own reply with this body, as named or as anonymous, sent within the minute. */
async function findReplyTwin(
  db: Kysely<DB>,
  anonymity: Anonymity,
  member: Member,
  threadId: number,
  input: { body: string; anonymous: boolean },
) {
  const since = new Date(Date.now() - DOUBLE_SUBMIT_WINDOW_MS);
  const candidates = await listRecentReplyTwins(db, threadId, input.body, since);
  return candidates.find(
    (candidate) =>
      candidate.anonymous === input.anonymous && isAuthor(candidate, threadId, member, anonymity),
  );
}

/** "gold ", "GOLD" and "Gold" are one tier, shown as first written. Records the use. */
async function normalizeTier(db: Kysely<DB>, tier: string | null) {
  const tidy = tier ? tidyName(tier) : '';
  const key = tierMatchKey(tidy);
  if (!key) return null;
  const known = await findTierLabel(db, key);
  const label =
    known?.label ??
    tidy.replace(
      /(^|\s)(\p{Ll})/gu,
      (_m, space: string, letter: string) => space + letter.toUpperCase(),
    );
  await recordTierUse(db, key, label);
  return { key, label };
}

export interface StoryEdit {
  title: string;
  body: string;
  sentiment: Sentiment;
  tier: string | null;
  areas: AreaRatings;
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
    const tier = await normalizeTier(trx, edit.tier);
    await recountAround(trx, previous.id, async () => {
      await updateThread(
        trx,
        previous.id,
        {
          title: edit.title.trim(),
          slug: slugify(edit.title, 80),
          body_source: edit.body,
          body_html: bodyHtml,
          sentiment: edit.sentiment,
          tier: tier?.label ?? null,
          tier_key: tier?.key ?? null,
        },
        previous.anonymous,
      );
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

async function releaseAnonymousVoices(
  db: Kysely<DB>,
  anonymity: Anonymity,
  memberId: number,
  threadId: number,
) {
  const { threads } = await readLedger(db, anonymity, memberId);
  // After a vendor merge the member may hold two stories about one vendor: keep the claim
  // while another of them stands.
  const others = threads.filter((id) => id !== threadId);
  const stillTold = new Set(
    others.length === 0
      ? []
      : (
          await db
            .selectFrom('thread_vendors')
            .innerJoin('threads', 'threads.id', 'thread_vendors.thread_id')
            .select('thread_vendors.vendor_id')
            .where('threads.id', 'in', others)
            .where('threads.deleted_at', 'is', null)
            .execute()
        ).map((row) => row.vendor_id),
  );
  const vendorIds = (await listThreadVendorIds(db, threadId)).filter((id) => !stillTold.has(id));
  if (vendorIds.length === 0) return;
  await db
    .deleteFrom('anonymous_voices')
    .where(
      'voice',
      'in',
      vendorIds.map((vendorId) => anonymity.anonymousVoice(vendorId, memberId)),
    )
    .execute();
}

/**
 * Posts a reply in one transaction. An anonymous one goes into its author's sealed ledger; the
 * story's author learns of it when they read their notices (derived then, never stored).
 */
export async function createReply(
  db: Kysely<DB>,
  anonymity: Anonymity,
  member: Member,
  threadId: number,
  input: { body: string; anonymous: boolean },
) {
  const bodyHtml = await renderMarkdown(input.body);
  return inTransaction(db, async (trx) => {
    // Serializes one member's replies, so that a double click, or a resend after the browser
    // gave up waiting, finds the first reply instead of posting a second.
    await sql`select pg_advisory_xact_lock(hashtext(${`reply-submit:${member.id}`}))`.execute(trx);
    const twin = await findReplyTwin(trx, anonymity, member, threadId, input);
    if (twin) return twin.id;
    const replyId = await insertReply(trx, {
      thread_id: threadId,
      body_source: input.body,
      body_html: bodyHtml,
      ...authorColumns(threadId, member, input.anonymous, anonymity),
    });
    if (input.anonymous)
      await recordAnonymousPost(trx, anonymity, member.id, { kind: 'reply', id: replyId });
    return replyId;
  });
}

export async function editReply(
  db: Kysely<DB>,
  previous: {
    id: number;
    body_source: string;
    anonymous: boolean;
    created_at: Date;
    edited_at: Date | null;
  },
  body: string,
) {
  const bodyHtml = await renderMarkdown(body);
  await db.transaction().execute(async (trx) => {
    await insertRevision(trx, {
      reply_id: previous.id,
      body_source: previous.body_source,
      created_at: previous.edited_at ?? previous.created_at,
    });
    await updateReply(
      trx,
      previous.id,
      { body_source: body, body_html: bodyHtml },
      previous.anonymous,
    );
  });
}

export async function deleteReply(db: Kysely<DB>, replyId: number) {
  await db.transaction().execute((trx) => markReplyDeleted(trx, replyId));
}
