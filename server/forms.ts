import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export type FieldErrors = Record<string, string>;

export type FormResult<T extends TObject> =
  | { ok: true; values: Static<T> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Checks a submitted form against its TypeBox schema. Each property's `errorMessage` option is
 * the message shown beside that field; the first problem per field wins. On failure the raw
 * values come back so the form can be shown again with the member's input kept.
 */
export function checkForm<T extends TObject>(schema: T, body: unknown): FormResult<T> {
  const input = stringFields(body);
  const errors: FieldErrors = {};
  for (const error of Value.Errors(schema, input)) {
    const field = error.path.split('/')[1] || 'form';
    errors[field] ??= (error.schema as { errorMessage?: string }).errorMessage ?? error.message;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, values: input };
  return { ok: true, values: input as Static<T> };
}

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
