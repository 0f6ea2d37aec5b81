import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Resolution } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { HttpError } from '../http-errors.js';
import { renderMarkdown } from '../markdown.js';
import { authorColumns } from '../posts/authors.js';
import { settleResponses } from '../reputation/responses.js';
import type { Anonymity } from '../security/anonymity.js';
import type { Member, VendorRef } from '../security/member.js';
import { lockSubmissions } from './double-submit.js';
import { postTime } from './post-times.js';

// The vendors' side of a story: a representative's official response (a reply marked with the
// vendor, shown above the others and not counted among them), and the author's word on whether
// the vendor resolved it.

/** The vendor of the story's tags that the member represents, or null. */
export function representedIn(member: Member | null, vendors: readonly { id: number }[]) {
  const represented = member?.represents ?? null;
  if (represented === null) return null;
  return vendors.some((vendor) => vendor.id === represented.id) ? represented : null;
}

/** The member's vendor, read in the transaction: the session's copy may be a request old. */
export async function representedVendorId(trx: Transaction<DB>, memberId: number) {
  const row = await trx
    .selectFrom('representatives')
    .select('vendor_id')
    .where('user_id', '=', memberId)
    .executeTakeFirst();
  return row?.vendor_id ?? null;
}

/** Refused: a representative's story about the vendor they represent. */
export class OwnVendorStory extends Error {
  constructor(readonly vendorName: string) {
    super(
      `You represent ${vendorName}, so your stories about it would count toward its reputation: they are not accepted. Answer stories about ${vendorName} with an official response instead.`,
    );
  }
}

/** The vendor's official response to the story still standing (not deleted), if any. */
function findResponse(trx: Transaction<DB>, threadId: number, vendorId: number) {
  return trx
    .selectFrom('replies')
    .select('id')
    .where('thread_id', '=', threadId)
    .where('official_vendor_id', '=', vendorId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/**
 * Posts the vendor's official response to a story, named, in one transaction: one per story
 * and vendor while it stands. The story's author learns of it like of any reply (notices are
 * derived), and the vendor's figures count it.
 */
export async function createOfficialResponse(
  db: Kysely<DB>,
  anonymity: Anonymity,
  member: Member,
  threadId: number,
  vendor: VendorRef,
  body: string,
) {
  const bodyHtml = await renderMarkdown(body);
  return inTransaction(db, async (trx) => {
    await lockSubmissions(trx, 'reply', member.id);
    // Two representatives of one vendor answering at once: one answer.
    await sql`select pg_advisory_xact_lock(hashtext(${`official:${threadId}:${vendor.id}`}))`.execute(
      trx,
    );
    if ((await representedVendorId(trx, member.id)) !== vendor.id)
      throw new HttpError(403, `You no longer represent ${vendor.name}.`);
    const existing = await findResponse(trx, threadId, vendor.id);
    if (existing) throw new ResponseExists(vendor.name, existing.id);
    const row = await trx
      .insertInto('replies')
      .values({
        thread_id: threadId,
        body_source: body,
        body_html: bodyHtml,
        official_vendor_id: vendor.id,
        ...authorColumns(threadId, member, false, anonymity),
        created_at: postTime(false),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await settleResponses(trx, threadId);
    return row.id;
  });
}

/** Refused: the vendor has an official response to this story already. */
export class ResponseExists extends HttpError {
  constructor(
    vendorName: string,
    readonly responseId: number,
  ) {
    super(
      409,
      `${vendorName} has answered this story already: edit that response instead of posting another.`,
    );
  }
}

/**
 * The author's word on the vendors' answers: resolved, not resolved, or open again (null). The
 * caller checks that the member wrote the story; here, that a vendor has answered it.
 */
export async function setResolution(
  db: Kysely<DB>,
  threadId: number,
  resolution: Resolution | null,
) {
  await inTransaction(db, async (trx) => {
    const story = await trx
      .selectFrom('threads')
      .select('responses')
      .where('id', '=', threadId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (story.responses === 0)
      throw new HttpError(
        409,
        'No vendor has answered this story yet: you can say whether it was resolved once one has.',
      );
    await trx.updateTable('threads').set({ resolution }).where('id', '=', threadId).execute();
    await settleResponses(trx, threadId);
  });
}
