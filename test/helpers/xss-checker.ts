import { DomUtils, parseDocument } from 'htmlparser2';

/*
 * The XSS checker: parses a page and finds what a browser would execute in it — elements,
 * attributes and URLs, never a mere search for "script". test/xss-checker.test.ts shows it
 * catches each kind of hole; the XSS tests run every page through it.
 */

export type DomDocument = ReturnType<typeof parseDocument>;
export type DomNode = DomDocument['children'][number];
export type DomElement = ReturnType<typeof DomUtils.findAll>[number];

/** The one script the layout loads; nothing else may run. */
/** The layout's one script, at its fingerprinted address (server/plugins/assets.ts). */
export const LAYOUT_SCRIPT = /<script src="\/static\/app(\.[0-9a-f]{12})?\.js" defer><\/script>/g;

/** Elements that run code, load documents or change how the rest of the page is parsed. */
const FORBIDDEN_ELEMENTS = new Set([
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'base',
  'style',
  'math',
  'noscript',
  'noembed',
  'noframes',
  'xmp',
  'plaintext',
  'listing',
  'template',
  'portal',
  'isindex',
  'image',
  'animate',
  'animatemotion',
  'animatetransform',
  'set',
  'discard',
  'foreignobject',
  'feimage',
  'use',
  'handler',
  'xml',
  'import',
]);

/** The same names, searched in the raw source too, in case a parser reads it differently. */
const RAW_FORBIDDEN_TAG = new RegExp(
  `<\\s*/?\\s*(script|${[...FORBIDDEN_ELEMENTS].join('|')})\\b`,
  'i',
);

/**
 * The site draws charts as inline SVG (the vendor page's trend): an svg is allowed outside post
 * bodies when it holds only shapes and text; links, animations, scripts and foreign objects,
 * which can run code in SVG, are not.
 */
const SVG_ELEMENTS = new Set([
  'svg',
  'g',
  'title',
  'desc',
  'line',
  'rect',
  'path',
  'circle',
  'ellipse',
  'polyline',
  'polygon',
  'text',
  'tspan',
]);

/** Attributes that hold a URL a browser may load or navigate to. */
export const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'xlink:href',
  'poster',
  'data',
  'background',
  'cite',
  'srcset',
  'ping',
  'longdesc',
  'codebase',
  'classid',
  'archive',
  'dynsrc',
  'lowsrc',
  'manifest',
  'icon',
  'profile',
  'usemap',
]);

const FORBIDDEN_ATTRIBUTES = new Set(['style', 'srcdoc', 'formaction']);

const DANGEROUS_SCHEME = /^(javascript|vbscript|data|livescript|mocha):/;
/** What the sanitizer lets through (server/markdown.ts); anything else with a scheme is a hole. */
const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/** What a post body may contain: the sanitizer's allowlist, tag by tag. */
const POST_BODY_ATTRIBUTES: Record<string, readonly string[]> = {
  p: [],
  br: [],
  strong: [],
  em: [],
  del: [],
  ul: [],
  ol: ['start'],
  li: [],
  blockquote: [],
  code: ['class'],
  pre: [],
  hr: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  a: ['href', 'title', 'rel'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
};

/** Characters a browser skips in a URL scheme (and more: stricter is safer here). */
function isIgnorable(codePoint: number): boolean {
  return (
    codePoint <= 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0xa0) ||
    codePoint === 0xad ||
    (codePoint >= 0x2000 && codePoint <= 0x200f) ||
    (codePoint >= 0x2028 && codePoint <= 0x202f) ||
    (codePoint >= 0x205f && codePoint <= 0x206f) ||
    codePoint === 0x3000 ||
    codePoint === 0xfeff
  );
}

/** The URL as a browser would judge its scheme: entities are already decoded by the parser. */
export function compactUrl(value: string): string {
  return [...value.normalize('NFKC')]
    .filter((char) => !isIgnorable(char.codePointAt(0)!))
    .join('')
    .toLowerCase();
}

export function urlProblem(value: string): string | null {
  const url = compactUrl(value);
  if (DANGEROUS_SCHEME.test(url)) return 'a script or data URL';
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(url)?.[1];
  if (scheme && !ALLOWED_SCHEMES.has(scheme)) return `the scheme "${scheme}:"`;
  return null;
}

/** A path on this site: "/x", not "//host" or "/\host" (which browsers read as another host). */
function isSameOriginPath(value: string): boolean {
  return /^\/(?![/\\])/.test(compactUrl(value));
}

function describeElement(element: DomElement): string {
  return DomUtils.getOuterHTML(element).slice(0, 200);
}

export function hasClass(element: DomElement, name: string): boolean {
  return (element.attribs.class ?? '').split(/\s+/).includes(name);
}

function elementProblems(element: DomElement): string[] {
  const problems: string[] = [];
  const { name, attribs } = element;

  if (name === 'script') {
    const keys = Object.keys(attribs).sort().join(',');
    const safe =
      keys === 'defer,src' &&
      /^\/static\/app(\.[0-9a-f]{12})?\.js$/.test(attribs.src ?? '') &&
      DomUtils.textContent(element).trim() === '';
    if (!safe) problems.push('a script element');
  }
  if (FORBIDDEN_ELEMENTS.has(name)) problems.push(`a <${name}> element`);
  if (name === 'svg') {
    for (const inner of DomUtils.findAll(() => true, element.children))
      if (!SVG_ELEMENTS.has(inner.name)) problems.push(`a <${inner.name}> element inside an svg`);
  }
  if (name === 'form' && attribs.action !== undefined && !isSameOriginPath(attribs.action))
    problems.push('a form posting off the site');
  if (name === 'meta') {
    const equiv = compactUrl(attribs['http-equiv'] ?? '');
    if (equiv === 'refresh' || equiv === 'set-cookie') problems.push(`a meta http-equiv=${equiv}`);
  }
  if (name === 'link') {
    const rels = (attribs.rel ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const href = attribs.href ?? '';
    if (rels.length === 0) problems.push('a link without rel');
    for (const rel of rels) {
      if (rel === 'stylesheet' || rel === 'icon') {
        if (!compactUrl(href).startsWith('/static/'))
          problems.push(`a ${rel} link outside /static/`);
      } else if (rel === 'alternate' || rel === 'canonical') {
        if (!isSameOriginPath(href) && !/^https?:\/\//.test(compactUrl(href)))
          problems.push(`a ${rel} link to ${href}`);
      } else {
        problems.push(`a link rel=${rel}`);
      }
    }
  }

  for (const [attribute, value] of Object.entries(attribs)) {
    if (attribute.startsWith('on')) problems.push(`an event handler attribute ${attribute}`);
    if (FORBIDDEN_ATTRIBUTES.has(attribute)) problems.push(`a ${attribute} attribute`);
    if (URL_ATTRIBUTES.has(attribute)) {
      const urls =
        attribute === 'srcset'
          ? value.split(',').map((part) => part.trim().split(/\s+/)[0]!)
          : [value];
      for (const url of urls) {
        const problem = urlProblem(url);
        if (problem) problems.push(`${problem} in ${attribute}`);
      }
    }
  }
  return problems;
}

/** Inside a post body only what the sanitizer allows may appear, with the attributes it allows. */
function postBodyProblems(root: DomNode[]): string[] {
  const problems: string[] = [];
  for (const element of DomUtils.findAll(() => true, root)) {
    const allowed = POST_BODY_ATTRIBUTES[element.name];
    if (!allowed) {
      problems.push(`a <${element.name}> element in a post body: ${describeElement(element)}`);
      continue;
    }
    for (const [attribute, value] of Object.entries(element.attribs)) {
      if (!allowed.includes(attribute))
        problems.push(`a ${attribute} attribute in a post body: ${describeElement(element)}`);
      else if (attribute === 'class' && !/^language-[\w-]+$/.test(value))
        problems.push(`class="${value}" in a post body`);
      else if (attribute === 'align' && !/^(left|center|right)$/.test(value))
        problems.push(`align="${value}" in a post body`);
      else if (attribute === 'start' && !/^-?\d+$/.test(value))
        problems.push(`start="${value}" in a post body`);
    }
  }
  return problems;
}

export interface CheckOptions {
  /** A fragment that is all post body (feed content); a page has post bodies in .post-body. */
  postBody?: boolean;
}

/**
 * Throws, listing every problem, when the HTML holds anything a browser would execute: a script
 * other than the layout's app.js, an element that loads code or documents, an event handler or
 * style attribute, or a URL with a script, data or unknown scheme. Post bodies must also keep
 * to the sanitizer's allowlist.
 */
export function assertNoExecutableMarkup(html: string, where = 'page', options: CheckOptions = {}) {
  const problems: string[] = [];
  const document = parseDocument(html);

  for (const element of DomUtils.findAll(() => true, document.children)) {
    for (const problem of elementProblems(element))
      problems.push(`${problem}: ${describeElement(element)}`);
  }

  const bodies = options.postBody
    ? [document.children]
    : DomUtils.findAll((element) => hasClass(element, 'post-body'), document.children).map(
        (element) => element.children,
      );
  for (const body of bodies) problems.push(...postBodyProblems(body));

  // A second opinion that does not depend on this parser: escaped text never holds a raw "<",
  // so a forbidden tag name right after one is markup, whatever a parser makes of it.
  const raw = html.replace(LAYOUT_SCRIPT, '');
  const rawTag = RAW_FORBIDDEN_TAG.exec(raw);
  if (rawTag) {
    const at = rawTag.index;
    problems.push(`raw markup "${raw.slice(Math.max(0, at - 40), at + 80)}"`);
  }

  if (problems.length > 0)
    throw new Error(`Executable markup in ${where}:\n  - ${problems.join('\n  - ')}`);
}
