import type { Static, TObject } from '@sinclair/typebox';

export type FieldErrors = Record<string, string>;

export type FormResult<T extends TObject> =
  | { ok: true; values: Static<T> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Keeps the string fields of a parsed form body; anything else (arrays, objects) is dropped. */
export function stringFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') fields[key] = value;
    }
  }
  return fields;
}
