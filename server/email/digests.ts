import type { FastifyInstance } from 'fastify';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, MailFrequency } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { renderMail } from '../mail/render.js';
import {
  listReplyNotices,
  listVendorStoryNotices,
  loadSources,
  type IdWindow,
} from '../notifications/derived.js';
import { nextMailAt } from './addresses.js';
import { mailContext } from './links.js';

/** Stories and replies listed in one mail; the rest are counted. */
const LISTED = 20;
/** Members looked at per round; a poll runs a few rounds at most. */
const BATCH = 50;
const ROUNDS = 20;

const INTRO: Record<MailFrequency, string> = {
  immediate: 'There is news for you on Partner Stories.',
  daily: 'Here is what happened on Partner Stories since your last daily digest.',
  weekly: 'Here is what happened on Partner Stories since your last weekly digest.',
  never: '',
};

/**
 * Mails members their notices when due: right away (on the worker's next poll), daily or weekly.
 * A mail tells of what came after the forum's newest story and reply at the previous mail, up to
 * the newest now, and then those become the member's marks: the marks are the forum's, never the
 * last post a mail listed, which could be one of the member's own anonymous posts' replies.
 * The notices come from the same derivation as the notifications page, anonymous stories through
 * the member's sealed ledger, so nothing new is stored that ties a member to a post; the mail
 * itself is queued sealed and deleted once sent. Several instances may run this at once: each
 * member's row is claimed with FOR UPDATE SKIP LOCKED.
 */
export async function mailDueNotices(app: FastifyInstance, now = new Date()) {
  let queued = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const newest = await newestPosts(app.db);
    const due = await dueMembers(app.db, now, newest);
    for (const { user_id } of due) {
      if (await mailMember(app, user_id, now, newest)) queued++;
    }
    if (due.length < BATCH) break;
  }
  if (queued > 0) app.mail.kick();
  return queued;
}

interface Newest {
  thread: number;
  reply: number;
}

async function newestPosts(db: Kysely<DB>): Promise<Newest> {
  const row = await db
    .selectNoFrom([
      sql<number>`coalesce((select max(id) from threads), 0)`.as('thread'),
      sql<number>`coalesce((select max(id) from replies), 0)`.as('reply'),
    ])
    .executeTakeFirstOrThrow();
  return { thread: Number(row.thread), reply: Number(row.reply) };
}

/** Members whose mail is due; those who want it right away only when the forum has news. */
function dueMembers(db: Kysely<DB>, now: Date, newest: Newest) {
  return db
    .selectFrom('member_emails')
    .select('user_id')
    .where('confirmed_at', 'is not', null)
    .where('frequency', '<>', 'never')
    .where('next_mail_at', '<=', now)
    .where((eb) =>
      eb.or([
        eb('frequency', '<>', 'immediate'),
        eb('stories_mailed_id', '<', newest.thread),
        eb('replies_mailed_id', '<', newest.reply),
      ]),
    )
    .orderBy('next_mail_at')
    .limit(BATCH)
    .execute();
}

async function mailMember(app: FastifyInstance, memberId: number, now: Date, newest: Newest) {
  return inTransaction(app.db, async (trx) => {
    const row = await trx
      .selectFrom('member_emails')
      .innerJoin('users', 'users.id', 'member_emails.user_id')
      .select([
        'member_emails.address_sealed',
        'member_emails.frequency',
        'member_emails.stories_mailed_id',
        'member_emails.replies_mailed_id',
        'users.username',
      ])
      .where('member_emails.user_id', '=', memberId)
      .where('member_emails.confirmed_at', 'is not', null)
      .where('member_emails.frequency', '<>', 'never')
      .where('member_emails.next_mail_at', '<=', now)
      .forUpdate('member_emails')
      .skipLocked()
      .executeTakeFirst();
    if (!row) return false;
    const address = app.anonymity.openAddress(row.address_sealed);
    const digest = await collectNotices(app, trx, memberId, {
      stories: { after: row.stories_mailed_id, upTo: newest.thread },
      replies: { after: row.replies_mailed_id, upTo: newest.reply },
    });
    const told = digest && address && digest.storyCount + digest.replyCount > 0;
    if (told) {
      const context = mailContext(app.mail.publicUrl, app.anonymity, memberId);
      const data = { ...digest, username: row.username, intro: INTRO[row.frequency] };
      await app.mail.queue(
        trx,
        memberId,
        renderMail('digest', address, subjectOf(digest, row.frequency), data, context),
      );
    }
    await trx
      .updateTable('member_emails')
      .set({
        stories_mailed_id: sql<number>`greatest(stories_mailed_id, ${newest.thread}::int)`,
        replies_mailed_id: sql<number>`greatest(replies_mailed_id, ${newest.reply}::int)`,
        next_mail_at: nextMailAt(row.frequency, now),
      })
      .where('user_id', '=', memberId)
      .execute();
    return Boolean(told);
  });
}

async function collectNotices(
  app: FastifyInstance,
  trx: Transaction<DB>,
  memberId: number,
  windows: { stories: IdWindow; replies: IdWindow },
) {
  const sources = await loadSources(trx, app.anonymity, memberId);
  if (!sources) return null;
  // Up to 1,000 of each are counted; the first LISTED are listed.
  const [stories, replies] = await Promise.all([
    listVendorStoryNotices(trx, sources, 1000, windows.stories),
    listReplyNotices(trx, sources, 1000, windows.replies),
  ]);
  return {
    stories: stories.slice(0, LISTED).map(({ notice }) => notice),
    storyCount: stories.length,
    moreStories: Math.max(0, stories.length - LISTED),
    replies: replies.slice(0, LISTED).map(({ notice }) => notice),
    replyCount: replies.length,
    moreReplies: Math.max(0, replies.length - LISTED),
  };
}

function subjectOf(digest: { storyCount: number; replyCount: number }, frequency: MailFrequency) {
  const parts = [
    digest.storyCount > 0 &&
      `${digest.storyCount} new ${digest.storyCount === 1 ? 'story' : 'stories'}`,
    digest.replyCount > 0 &&
      `${digest.replyCount} new ${digest.replyCount === 1 ? 'reply' : 'replies'}`,
  ].filter(Boolean);
  const kind =
    frequency === 'daily' ? 'daily digest' : frequency === 'weekly' ? 'weekly digest' : 'news';
  return `${parts.join(' and ')}: your Partner Stories ${kind}`;
}
