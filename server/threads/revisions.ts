import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';

/** The text a story or reply had before an edit, kept in the edit's transaction. */
export async function insertRevision(
  trx: Transaction<DB>,
  revision: {
    thread_id?: number;
    reply_id?: number;
    title?: string;
    body_source: string;
    created_at: Date;
  },
) {
  await trx.insertInto('revisions').values(revision).execute();
}
