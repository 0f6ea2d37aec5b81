import type { FastifyInstance } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { dropMemberMail } from '../mail/queue.js';
import { renderMail } from '../mail/render.js';
import { confirmedAddress, removeAddress, setAddress } from './addresses.js';
import { mailContext } from './links.js';
import {
  CONFIRM_LIFETIME_MS,
  createToken,
  recentTokenCount,
  RESET_LIFETIME_MS,
  retireTokens,
} from './tokens.js';

const HOUR = 3_600_000;

async function usernameOf(db: Kysely<DB>, memberId: number) {
  const row = await db
    .selectFrom('users')
    .select('username')
    .where('id', '=', memberId)
    .executeTakeFirst();
  return row?.username ?? '';
}

/**
 * Gives the member a new, unconfirmed address and mails it a confirmation link, in one
 * transaction; the address it replaces, if confirmed, is told.
 */
export async function changeAddress(app: FastifyInstance, memberId: number, address: string) {
  await inTransaction(app.db, async (trx) => {
    const username = await usernameOf(trx, memberId);
    const previous = await setAddress(trx, app.anonymity, memberId, address);
    // Whoever holds the old mailbox keeps nothing: no link to confirm, none to reset the
    // password with, and no mail still waiting to be sent there.
    await retireTokens(trx, memberId, 'confirm');
    await retireTokens(trx, memberId, 'reset');
    await dropMemberMail(trx, app.anonymity, memberId);
    const hash = app.anonymity.addressHash(address);
    const token = await createToken(trx, memberId, 'confirm', CONFIRM_LIFETIME_MS, hash);
    const context = mailContext(app.mail.publicUrl, app.anonymity, memberId);
    const link = `${context.publicUrl}/email/confirm/${token}`;
    const subject = 'Confirm your address on Partner Stories';
    await app.mail.queue(
      trx,
      memberId,
      renderMail('confirm', address, subject, { username, link }, context),
    );
    if (previous && app.anonymity.addressHash(previous.address) !== hash) {
      await queueAddressChanged(app, trx, memberId, previous.address, username, false);
    }
  });
  app.mail.kick();
}

/**
 * After the member changed their password themselves: reset links mailed before are dead, and
 * their confirmed address is told, in the transaction of the change.
 */
export async function passwordChangedByMember(
  app: FastifyInstance,
  trx: Transaction<DB>,
  memberId: number,
) {
  await retireTokens(trx, memberId, 'reset');
  await queuePasswordChanged(app, trx, memberId);
}

/** Forgets the member's address; mail still queued for them goes too, but for the notice. */
export async function forgetAddress(app: FastifyInstance, memberId: number) {
  await inTransaction(app.db, async (trx) => {
    const previous = await confirmedAddress(trx, app.anonymity, memberId);
    await removeAddress(trx, memberId);
    await retireTokens(trx, memberId, 'confirm');
    await retireTokens(trx, memberId, 'reset');
    await dropMemberMail(trx, app.anonymity, memberId);
    if (previous) {
      await queueAddressChanged(app, trx, memberId, previous.address, previous.username, true);
    }
  });
  app.mail.kick();
}

async function queueAddressChanged(
  app: FastifyInstance,
  db: Kysely<DB>,
  memberId: number,
  address: string,
  username: string,
  removed: boolean,
) {
  const context = mailContext(app.mail.publicUrl, app.anonymity, memberId);
  const subject = removed
    ? 'Your address was removed from Partner Stories'
    : 'Your address on Partner Stories was changed';
  await app.mail.queue(
    db,
    memberId,
    renderMail('address-changed', address, subject, { username, removed }, context),
  );
}

/**
 * Mails a reset link to the member's confirmed address, unless they were sent `perHour`
 * already in the last hour; false when nothing was sent. The member's row is locked first, so
 * that requests racing for one account count each other's links.
 */
export async function sendResetLink(
  app: FastifyInstance,
  memberId: number,
  { perHour }: { perHour: number },
) {
  const sent = await inTransaction(app.db, async (trx) => {
    await trx.selectFrom('users').select('id').where('id', '=', memberId).forUpdate().execute();
    if ((await recentTokenCount(trx, memberId, 'reset', HOUR)) >= perHour) return false;
    const recipient = await confirmedAddress(trx, app.anonymity, memberId);
    if (!recipient) return false;
    const token = await createToken(trx, memberId, 'reset', RESET_LIFETIME_MS);
    const context = mailContext(app.mail.publicUrl, app.anonymity, memberId);
    const link = `${context.publicUrl}/password/reset/${token}`;
    await app.mail.queue(
      trx,
      memberId,
      renderMail(
        'reset',
        recipient.address,
        'Reset your password on Partner Stories',
        { username: recipient.username, link },
        context,
      ),
    );
    return true;
  });
  if (sent) app.mail.kick();
  return sent;
}

/** Tells the member's confirmed address that their password was reset (in the reset's transaction). */
export async function queuePasswordChanged(app: FastifyInstance, db: Kysely<DB>, memberId: number) {
  const recipient = await confirmedAddress(db, app.anonymity, memberId);
  if (!recipient) return;
  await app.mail.queue(
    db,
    memberId,
    renderMail(
      'password-changed',
      recipient.address,
      'Your password on Partner Stories was changed',
      { username: recipient.username },
      mailContext(app.mail.publicUrl, app.anonymity, memberId),
    ),
  );
}
