// The Markdown formatter, run in worker threads by server/markdown.ts: marked's parsing can take
// seconds on some inputs (quadratic emphasis runs) or overflow the stack (deep quotes), and here
// that costs a worker, which the pool terminates, not the event loop that serves every request.
// Plain JavaScript, so that the worker loads the same way under tsx, vitest and bare Node.
import { parentPort } from 'node:worker_threads';
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * The one sanitizer configuration: what Markdown may produce, and nothing else.
 * @type {import('sanitize-html').IOptions}
 */
const SANITIZE = {
  allowedTags: [
    'p',
    'br',
    'strong',
    'em',
    'del',
    'ul',
    'ol',
    'li',
    'blockquote',
    'code',
    'pre',
    'hr',
    'h3',
    'h4',
    'h5',
    'h6',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    ol: ['start'],
    th: ['align'],
    td: ['align'],
    code: ['class'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
  },
};

/** @param {string} text */
const escapeHtml = (text) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    // Raw HTML in a post is shown as text, never interpreted.
    html: ({ text }) => escapeHtml(text),
    // Headings start at h3: the page owns h1 and h2.
    heading({ tokens, depth }) {
      const level = Math.min(depth + 2, 6);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    // No images: their text stands in.
    image: ({ text }) => escapeHtml(text),
  },
});

/**
 * Quotes, lists and emphasis nested deeper than this are refused: no one writes them, browsers
 * stop nesting elements at 512 levels (the rest of the page would land inside the post), and a
 * little deeper marked's recursion overflows its stack.
 */
const MAX_NESTING = 64;

/**
 * How deeply tokens nest (children in `tokens`, list `items`, table `header` and `rows`).
 * @param {readonly object[]} tokens
 */
function nesting(tokens) {
  let deepest = 0;
  /** @type {[object, number][]} */
  const stack = tokens.map((token) => [token, 1]);
  while (stack.length > 0) {
    const [node, depth] = /** @type {[object, number]} */ (stack.pop());
    deepest = Math.max(deepest, depth);
    for (const value of Object.values(node)) {
      if (!Array.isArray(value)) continue;
      for (const child of value.flat()) {
        if (child && typeof child === 'object') stack.push([child, depth + 1]);
      }
    }
  }
  return deepest;
}

/**
 * Markdown to safe HTML. Throws a RangeError for nesting too deep (past MAX_NESTING, or past the
 * stack while parsing).
 * @param {string} source
 * @returns {string}
 */
function format(source) {
  const tokens = marked.lexer(source);
  if (nesting(tokens) > MAX_NESTING)
    throw new RangeError(`Markdown nested more than ${MAX_NESTING} levels deep`);
  return sanitizeHtml(marked.parser(tokens), SANITIZE);
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (/** @type {{ source: string }} */ { source }) => {
    try {
      port.postMessage({ html: format(source) });
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ error: { name, message } });
    }
  });
  // Sent once the modules above have loaded: the pool starts a job's clock from here.
  port.postMessage({ ready: true });
}
