import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { HttpError } from '../http-errors.js';
import { findPost } from '../posts/lookup.js';
import type { PostKind, ReportReason } from '../posts/vocabulary.js';
import type { Anonymity } from '../security/anonymity.js';
import type { Member } from '../security/member.js';
import { actionTime, appendLog, insertReport, listOpenReporters } from './queries.js';
import { changeVisibility, logTarget } from './visibility.js';

export const AUTO_HIDE_REASON = 'reported by several members, pending review';

export interface ReportPolicy {
  /** Established reporters that hide a post until a moderator decides. */
  autoHideReporters: number;
  /** How old a reporter's account must be to count, besides having a visible post. */
  reporterMinAgeDays: number;
}

/**
 * Files a member's report. Returns false when they had reported this post already. When enough
 * established members (old enough, with a visible post of their own) have reported it, the
 * post is held for review at once, in the same transaction, and logged; new accounts' reports
 * go to the queue but hide nothing, so a handful of fresh accounts cannot bury a story.
 */
export async function fileReport(
  db: Kysely<DB>,
  anonymity: Anonymity,
  reporter: Member,
  report: { kind: PostKind; postId: number; reason: ReportReason; note: string | null },
  policy: ReportPolicy,
) {
  return inTransaction(db, async (trx) => {
    const post = await findPost(trx, report.kind, report.postId);
    if (post.deleted) throw new HttpError(409, 'This post was deleted by its author already.');
    const filed = await insertReport(trx, { ...report, reporterId: reporter.id });
    if (!filed || post.hidden) return filed;
    const reporters = await listOpenReporters(trx, post.kind, post.id, policy.reporterMinAgeDays);
    const established = await countEstablished(trx, anonymity, reporters);
    if (established < policy.autoHideReporters) return true;
    await changeVisibility(trx, post, { reason: AUTO_HIDE_REASON, held: true });
    await appendLog(trx, {
      moderator: 'system',
      action: 'auto-hide',
      ...logTarget(post),
      reason: AUTO_HIDE_REASON,
      created_at: actionTime(post.anonymous),
    });
    return true;
  });
}

/**
 * Reporters old enough who have posted: a visible named post, or any anonymous post (their
 * ledger exists). Whether their anonymous posts are visible is not asked, or a moderator could
 * hide candidate posts and learn from the auto-hide whose they were. Two queries in all.
 */
async function countEstablished(
  db: Transaction<DB>,
  anonymity: Anonymity,
  reporters: { id: number; old_enough: boolean; has_named_post: boolean }[],
) {
  const old = reporters.filter((reporter) => reporter.old_enough);
  const silent = old.filter((reporter) => !reporter.has_named_post);
  const owners = new Map(silent.map((reporter) => [anonymity.ledgerOwner(reporter.id), reporter]));
  const withLedger =
    owners.size === 0
      ? []
      : await db
          .selectFrom('anonymous_ledgers')
          .select('owner')
          .where('owner', 'in', [...owners.keys()])
          .execute();
  return old.length - silent.length + withLedger.length;
}
