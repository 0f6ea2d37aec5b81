import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { FieldErrors } from '../forms.js';
import type { Member } from '../security/member.js';

// Program changes over time: dated entries (what changed, a source) about a vendor's partner
// program, recorded by moderators or by the vendor's representative (marked as such).

export const CHANGE_LIMITS = { summary: 300, source: 500 };
const EARLIEST = '1990-01-01';

export interface ProgramChange {
  changedOn: string;
  summary: string;
  sourceUrl: string | null;
}

export type ChangeForm =
  | { ok: true; change: ProgramChange }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Checks the form's three fields, every problem at once. */
export function readChangeForm(fields: Record<string, string>, today = new Date()): ChangeForm {
  const values = {
    date: (fields.date ?? '').trim(),
    summary: (fields.summary ?? '').trim(),
    source: (fields.source ?? '').trim(),
  };
  const errors: FieldErrors = {};
  const date = validDate(values.date);
  if (!date || date < EARLIEST || date > today.toISOString().slice(0, 10))
    errors.date = 'Give the date of the change as YYYY-MM-DD, not in the future.';
  if (values.summary.length < 5 || values.summary.length > CHANGE_LIMITS.summary)
    errors.summary = `Say what changed in 5–${CHANGE_LIMITS.summary} characters.`;
  const source = values.source === '' ? null : webAddress(values.source);
  if (source === undefined)
    errors.source = 'Give the source as a web address starting with https:// (or leave it out).';
  if (Object.keys(errors).length > 0 || !date) return { ok: false, errors, values };
  return {
    ok: true,
    change: { changedOn: date, summary: values.summary, sourceUrl: source ?? null },
  };
}

function validDate(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const parsed = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text ? null : text;
}

/** An http(s) address without credentials, normalised; undefined when it is not one. */
function webAddress(text: string): string | undefined {
  if (text.length > CHANGE_LIMITS.source || /\s/.test(text)) return undefined;
  try {
    const url = new URL(text);
    if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password)
      return undefined;
    if (!url.hostname.includes('.')) return undefined;
    return url.toString();
  } catch {
    return undefined;
  }
}

export async function insertProgramChange(
  trx: Transaction<DB>,
  vendorId: number,
  editor: Member,
  change: ProgramChange,
) {
  await trx
    .insertInto('vendor_program_changes')
    .values({
      vendor_id: vendorId,
      changed_on: change.changedOn,
      summary: change.summary,
      source_url: change.sourceUrl,
      recorded_by: editor.username,
      as_representative: editor.role === 'member' && editor.represents?.id === vendorId,
    })
    .execute();
}

/** The vendor's recorded changes, newest first (at most `limit`). */
export function listProgramChanges(db: Kysely<DB>, vendorId: number, limit = 20) {
  return db
    .selectFrom('vendor_program_changes')
    .select(['changed_on', 'summary', 'source_url', 'recorded_by', 'as_representative'])
    .where('vendor_id', '=', vendorId)
    .orderBy('changed_on', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
