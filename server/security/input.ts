import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Fields that hold several lines (textareas): they keep newlines and tabs. */
const MULTILINE_FIELDS = new Set(['body', 'bio', 'note']);
/** Passwords are hashed, never shown: they are checked exactly as typed. */
const VERBATIM_FIELDS = new Set(['password', 'current_password', 'new_password']);

// C0 controls but tab and newline, DEL, C1 controls, and the two noncharacters XML refuses.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as the forum stores it: no C0 or C1 control character (they make feeds invalid XML and
 * would pass for the search's highlight markers), line ends as "\n", and in a single-line field
 * tabs and line ends turned into spaces.
 */
export function cleanText(text: string, multiline: boolean): string {
  const clean = text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROLS, '');
  return multiline ? clean : clean.replace(/[\t\n]/g, ' ');
}

/** Cleans every string of a parsed request body or query string, by the field it sits in. */
export function cleanInput(value: unknown, field = ''): unknown {
  if (typeof value === 'string') {
    return VERBATIM_FIELDS.has(field) ? value : cleanText(value, MULTILINE_FIELDS.has(field));
  }
  if (Array.isArray(value)) return value.map((item) => cleanInput(item, field));
  if (isPlainObject(value)) {
    // fromEntries defines "__proto__" as a field like any other, instead of setting a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, cleanInput(item, key)]),
    );
  }
  return value;
}

/** A parsed form or JSON object (the query-string parser's have a prototype of their own). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/** Cleans every request's body and query string once, before any route reads them. */
export const inputPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined && request.body !== null) {
      request.body = cleanInput(request.body);
    }
    if (request.query && typeof request.query === 'object') {
      request.query = cleanInput(request.query);
    }
  });
});
