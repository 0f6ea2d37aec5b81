import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type ValueError } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { stringFields, type FieldErrors, type FormResult } from '../forms.js';

/** One field that did not fit, in the words its schema gives (`errorMessage`) where it has them. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * A request part (params, querystring, body) that does not fit its route's schema. The error
 * handler answers it with a 400 page, or JSON for a JSON client; a form route that sets
 * `attachValidation` shows the form again with these messages beside the fields instead.
 */
export class RequestValidationError extends Error {
  readonly code = 'FST_ERR_VALIDATION';
  /** 400; 404 for path parameters, as for any address that names nothing (`/threads/abc`). */
  readonly statusCode: number;
  constructor(
    readonly validationContext: string,
    readonly problems: FieldProblem[],
  ) {
    super(
      validationContext === 'params'
        ? 'There is nothing at this address.'
        : (problems[0]?.message ?? 'The request does not fit what this address accepts.'),
    );
    this.statusCode = validationContext === 'params' ? 404 : 400;
  }
}

const fieldOf = (error: ValueError) => error.path.split('/')[1] || 'form';

function describe(error: ValueError, part: string): string {
  const own = (error.schema as { errorMessage?: string }).errorMessage;
  if (own) return own;
  const where =
    part === 'body' ? 'The form field' : part === 'params' ? 'The address' : 'The query';
  return `${where} "${fieldOf(error)}" is not valid: ${error.message.toLowerCase()}.`;
}

/** A query string's empty fields count as absent: a search form sends its unused fields empty. */
function given(data: unknown) {
  if (!data || typeof data !== 'object') return data ?? {};
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== ''));
}

const DIGITS = /^\d{1,15}$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;

/**
 * Text to numbers where the schema declares them, and only for plain digits: "2.5", " 3", "0x10"
 * or "1e3" stay text and fail the check (TypeBox's own Convert would truncate or parse them).
 */
function convert(schema: TSchema, data: unknown) {
  if (!data || typeof data !== 'object' || !schema.properties) return data;
  const converted: Record<string, unknown> = { ...data };
  for (const [name, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const value = converted[name];
    if (typeof value !== 'string') continue;
    if (property.type === 'integer' && DIGITS.test(value)) converted[name] = Number(value);
    if (property.type === 'number' && DECIMAL.test(value)) converted[name] = Number(value);
  }
  return converted;
}

/**
 * Fastify's validator compiler for TypeBox schemas (the type provider gives handlers the types).
 * Path parameters and query strings arrive as text and are converted as declared first, so a
 * handler receives `page` as a number; a body is checked as sent.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const checker = TypeCompiler.Compile(schema);
  const part = httpPart ?? 'body';
  return (data) => {
    const value = part === 'body' ? data : Value.Default(schema, convert(schema, given(data)));
    if (checker.Check(value)) return { value };
    const problems = new Map<string, string>();
    for (const error of checker.Errors(value)) {
      if (!problems.has(fieldOf(error))) problems.set(fieldOf(error), describe(error, part));
    }
    const list = [...problems].map(([field, message]) => ({ field, message }));
    return { error: new RequestValidationError(part, list) };
  };
};

/**
 * A form route's body, for a route that sets `attachValidation`: the typed values, or the
 * messages per field with the member's input kept, so the form is shown again. A bad query
 * string or address is not the form's business: it stays a 400 page.
 */
export function formResult<T extends TObject>(
  request: FastifyRequest & { body: Static<T> },
): FormResult<T> {
  const failure = request.validationError;
  if (!failure) return { ok: true, values: request.body };
  if (!(failure instanceof RequestValidationError) || failure.validationContext !== 'body')
    throw failure;
  const errors: FieldErrors = {};
  for (const problem of failure.problems) errors[problem.field] = problem.message;
  return { ok: false, errors, values: stringFields(request.body) };
}

/**
 * The body of a route that sets `attachValidation` but has no form to show again: checked once
 * the guards and the CSRF check have let the request through, and a 400 page if it does not fit.
 */
export function checkedBody<T>(request: { body: T; validationError?: Error }): T {
  if (request.validationError) throw request.validationError;
  return request.body;
}
