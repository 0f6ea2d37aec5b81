import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVendorList, tidyName, vendorMatchKey } from '../server/vendors/names.js';
import { cleanText } from '../server/security/input.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';

/*
 * XSS: payloads from the public cheat sheets (OWASP XSS Filter Evasion, PortSwigger, the
 * CommonMark/Markdown XSS lists) go through every field a member writes — story title, body,
 * tier and vendor names, and replies — and every page that shows them is parsed and checked for
 * executable markup: elements, attributes and URLs, never a mere search for "script".
 */

type DomDocument = ReturnType<typeof parseDocument>;
type DomNode = DomDocument['children'][number];
type DomElement = ReturnType<typeof DomUtils.findAll>[number];

// ---------------------------------------------------------------------------------------------
// The checker
// ---------------------------------------------------------------------------------------------

/** The one script the layout loads; nothing else may run. */
const LAYOUT_SCRIPT = '<script src="/static/app.js" defer></script>';

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
const URL_ATTRIBUTES = new Set([
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
function compactUrl(value: string): string {
  return [...value.normalize('NFKC')]
    .filter((char) => !isIgnorable(char.codePointAt(0)!))
    .join('')
    .toLowerCase();
}

function urlProblem(value: string): string | null {
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

function hasClass(element: DomElement, name: string): boolean {
  return (element.attribs.class ?? '').split(/\s+/).includes(name);
}

function elementProblems(element: DomElement): string[] {
  const problems: string[] = [];
  const { name, attribs } = element;

  if (name === 'script') {
    const keys = Object.keys(attribs).sort().join(',');
    const safe =
      keys === 'defer,src' &&
      attribs.src === '/static/app.js' &&
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

interface CheckOptions {
  /** A fragment that is all post body (feed content); a page has post bodies in .post-body. */
  postBody?: boolean;
}

/**
 * Throws, listing every problem, when the HTML holds anything a browser would execute: a script
 * other than the layout's app.js, an element that loads code or documents, an event handler or
 * style attribute, or a URL with a script, data or unknown scheme. Post bodies must also keep
 * to the sanitizer's allowlist.
 */
function assertNoExecutableMarkup(html: string, where = 'page', options: CheckOptions = {}) {
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
  const raw = html.split(LAYOUT_SCRIPT).join('');
  const rawTag = RAW_FORBIDDEN_TAG.exec(raw);
  if (rawTag) {
    const at = rawTag.index;
    problems.push(`raw markup "${raw.slice(Math.max(0, at - 40), at + 80)}"`);
  }

  if (problems.length > 0)
    throw new Error(`Executable markup in ${where}:\n  - ${problems.join('\n  - ')}`);
}

// ---------------------------------------------------------------------------------------------
// The payloads
// ---------------------------------------------------------------------------------------------

interface Payload {
  category: string;
  text: string;
  /** Raw HTML, which the forum shows as text: the post body must show it character for character. */
  shownAsText: boolean;
}

const TAB = '\t';
const CTRL = '\x01';

/** Raw HTML: Markdown passes it through untouched, so the page must show it as text. */
const RAW_HTML: Record<string, string[]> = {
  'script tags': [
    '<script>alert(1)</script>',
    '<SCRIPT SRC=//xss.example/x.js></SCRIPT>',
    '<script src="data:text/javascript,alert(1)"></script>',
    '<script/xss src="//xss.example/x.js"></script>',
    '<script>alert(1)',
    '<scr<script>ipt>alert(1)</script>',
    '<<script>script>alert(1)<</script>/script>',
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '</textarea><script>alert(1)</script>',
    '</title><script>alert(1)</script>',
    '<!--<script>alert(1)//-->',
    '<![CDATA[<script>alert(1)</script>]]>',
  ],
  'event handlers': [
    '<img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    '<svg onload=alert(1)>',
    '<svg/onload=alert(1)>',
    '<body onload=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<input autofocus onfocus=alert(1)>',
    '<video><source onerror="alert(1)">',
    '<marquee onstart=alert(1)>x</marquee>',
    '<div onmouseover="alert(1)">hover me</div>',
    '<strong onclick=alert(1)>bold</strong>',
    '<p title="x" onclick="alert(1)">allowed tag, bad attribute</p>',
    '<img src="x" onerror="&#97;&#108;&#101;&#114;&#116;(1)">',
    '<img """><script>alert(1)</script>">',
    '<img src=x:alert(alt) onerror=eval(src) alt=0>',
    '<x onpointerover=alert(1)>custom element</x>',
  ],
  'javascript: in HTML attributes': [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "<a href='vbscript:msgbox(1)'>x</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  ],
  'SVG and MathML': [
    '<svg><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
    '<svg><use href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=#x"></use></svg>',
    '<svg><style><img src=x onerror=alert(1)></style></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<math href="javascript:alert(1)">x</math>',
  ],
  'frames, objects, forms, meta': [
    '<iframe src="javascript:alert(1)">',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)">',
    '<embed src=javascript:alert(1)>',
    '<form action=javascript:alert(1)><button>x</button></form>',
    '<button formaction=javascript:alert(1)>x</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel=import href="data:text/html,alert(1)">',
    '<isindex action=javascript:alert(1) type=submit>',
  ],
  styles: [
    "<style>@import 'javascript:alert(1)'</style>",
    '<div style="background:url(javascript:alert(1))">',
    '<p style="x:expression(alert(1))">x</p>',
  ],
  'broken markup': [
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '</xmp><img src=x onerror=alert(1)>',
    '<template><script>alert(1)</script></template>',
    '<plaintext><script>alert(1)',
    '<img src=x onerror=alert(1)//',
    "<a href='javascript:alert(1)'",
    '<a href="https://ok.example" <img src=x onerror=alert(1)>>x</a>',
    '<ſcript>alert(1)</ſcript>',
  ],
};

/** Markdown and text tricks: what they render to varies, but never to executable markup. */
const MARKDOWN: Record<string, string[]> = {
  'javascript: links in every spelling': [
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](&#106;avascript:alert(1))',
    `[x](java${TAB}script:alert(1))`,
    '[x]( javascript:alert(1))',
    `[x](${CTRL}javascript:alert(1))`,
    '[x](javascript&colon;alert(1))',
    '[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))',
    '[x](jav&#x09;ascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '[x](javascript://%0aalert(1))',
    '[x](ｊａｖａｓｃｒｉｐｔ:alert(1))',
    '[x](java\u00adscript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](DATA:text/html,alert(1))',
    '*[x](javascript:alert(1))*',
  ],
  'autolinks and bare URLs': [
    '<javascript:alert(1)>',
    '<JAVASCRIPT:alert(1)>',
    '<vbscript:msgbox(1)>',
    'javascript:alert(1)',
    'https://ok.example/"onmouseover="alert(1)',
  ],
  'reference links': [
    '[x][1]\n\n[1]: javascript:alert(1)',
    '[x]\n\n[x]: JAVASCRIPT:alert(1) "title"',
    '[x][a]\n\n[a]: <javascript:alert(1)>',
    '[x][d]\n\n[d]: data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  ],
  'images and link titles': [
    '![x](javascript:alert(1))',
    '![x](x" onerror="alert(1))',
    '![<img src=x onerror=alert(1)>](https://ok.example/a.png)',
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    `[x](https://ok.example 'a" onmouseover="alert(1)')`,
    '[x](https://ok.example"onmouseover="alert(1))',
    '[<img src=x onerror=alert(1)>](https://ok.example)',
  ],
  'Markdown around HTML': [
    '**<img src=x onerror=alert(1)>**',
    '> <script>alert(1)</script>',
    '# <script>alert(1)</script>',
    '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
    '```html\n<script>alert(1)</script>\n```',
    '```" onmouseover="alert(1)\ncode\n```',
    '`<script>alert(1)</script>`',
    '\\<script>alert(1)\\</script>',
  ],
  'HTML entities and encodings': [
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '&#60;img src=x onerror=alert(1)&#62;',
    '&#0000060;script&#0000062;alert(1)',
    '&#106;avascript:alert(1)',
    '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e',
    '%3Cscript%3Ealert(1)%3C/script%3E',
  ],
  'fields other than the body': [
    "' onmouseover='alert(1)' x='",
    "');alert(1);//",
    'javascript&colon;alert(1)',
    'jav&#x09;ascript:alert(1)',
    '＜script＞alert(1)＜/script＞',
    '\u202e<script>alert(1)</script>',
    '{{constructor.constructor("alert(1)")()}}',
    '<%= process.exit(1) %><%~ it %>',
    '${alert(1)}',
  ],
};

const PAYLOADS: Payload[] = [
  ...Object.entries(RAW_HTML).flatMap(([category, texts]) =>
    texts.map((text) => ({ category, text, shownAsText: true })),
  ),
  ...Object.entries(MARKDOWN).flatMap(([category, texts]) =>
    texts.map((text) => ({ category, text, shownAsText: false })),
  ),
];

// ---------------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------------

/** Whitespace-insensitive text, as a reader sees it. */
const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

const text = (node: DomNode | DomNode[]) => norm(DomUtils.textContent(node));

const all = (nodes: DomNode[], test: (element: DomElement) => boolean) =>
  DomUtils.findAll(test, nodes);

const byId = (document: DomDocument, id: string) =>
  DomUtils.findOne((element) => element.attribs.id === id, document.children);

const byClass = (nodes: DomNode[], name: string) =>
  all(nodes, (element) => hasClass(element, name));

/** A response page: HTML, and free of executable markup. */
function checkPage(
  response: { statusCode: number; body: string; headers: Record<string, unknown> },
  where: string,
  status = 200,
): DomDocument {
  expect(response.statusCode, `${where}: ${response.body.slice(0, 500)}`).toBe(status);
  expect(String(response.headers['content-type']), where).toMatch(/^text\/html/);
  assertNoExecutableMarkup(response.body, where);
  return parseDocument(response.body);
}

async function getPage(client: TestClient, url: string, status = 200) {
  return checkPage(await client.get(url), `GET ${url}`, status);
}

/** Follows the pagination's rel=next links from `start`; every page is checked. */
async function crawl(client: TestClient, start: string): Promise<DomDocument[]> {
  const pages: DomDocument[] = [];
  const seen = new Set<string>();
  let url: string | undefined = start;
  while (url) {
    expect(seen.has(url), `pagination loops at ${url}`).toBe(false);
    expect(pages.length, `too many pages from ${start}`).toBeLessThan(40);
    seen.add(url);
    const page = await getPage(client, url);
    pages.push(page);
    url = DomUtils.findOne(
      (element) => element.name === 'a' && element.attribs.rel === 'next',
      page.children,
    )?.attribs.href;
  }
  return pages;
}

function inputValue(document: DomDocument, id: string): string | undefined {
  return byId(document, id)?.attribs.value;
}

function locationOf(response: { headers: Record<string, unknown> }): string {
  return String(response.headers.location);
}

/** The Markdown body must have come out as something a reader sees, not been dropped. */
function expectBodyShown(body: DomElement | null | undefined, payload: Payload, where: string) {
  expect(body, `${where}: post body`).toBeTruthy();
  const shown = text(body!);
  expect(shown, `${where}: post body is empty`).not.toBe('');
  if (payload.shownAsText)
    expect(shown, `${where}: raw HTML shown as text`).toContain(norm(payload.text));
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

describe('assertNoExecutableMarkup', () => {
  const page = (inner: string) =>
    `<!doctype html><html><head><title>t</title><link rel="icon" href="/static/favicon.svg"><link rel="stylesheet" href="/static/style.css">${LAYOUT_SCRIPT}</head><body><main>${inner}</main></body></html>`;

  it('accepts a clean page with escaped payloads, same-origin forms and safe links', () => {
    expect(() =>
      assertNoExecutableMarkup(
        page(
          '<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>' +
            '<textarea>&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;</textarea>' +
            '<input value="&quot;&gt;&lt;svg onload=alert(1)&gt;">' +
            '<form method="post" action="/threads/1/replies"><button>x</button></form>' +
            '<div class="post-body"><p><a href="https://ok.example" rel="nofollow ugc noopener" title="javascript:alert(1)">x</a> <a rel="nofollow">y</a></p>' +
            '<pre><code class="language-html">&lt;script&gt;</code></pre></div>' +
            '<svg viewBox="0 0 10 10" role="img"><title>&lt;script&gt;</title><rect x="1" width="2"><title>t</title></rect><text x="1">a</text></svg>',
        ),
      ),
    ).not.toThrow();
  });

  it.each([
    ['an inline script', '<script>alert(1)</script>'],
    ['a script from elsewhere', '<script src="https://xss.example/x.js" defer></script>'],
    ['an onerror handler', '<img src=x onerror=alert(1)>'],
    ['an upper-case handler', '<p OnClick="alert(1)">x</p>'],
    ['a javascript: link after a space', '<a href=" javascript:alert(1)">x</a>'],
    ['an entity-encoded javascript: link', '<a href="&#x6A;avascript&colon;alert(1)">x</a>'],
    ['a javascript: link with a tab inside', '<a href="java&#9;script:alert(1)">x</a>'],
    ['a full-width javascript: link', '<a href="ｊａｖａｓｃｒｉｐｔ:alert(1)">x</a>'],
    ['a vbscript: link', '<a href="VBScript:msgbox(1)">x</a>'],
    ['a data: URL', '<iframe src="data:text/html,x"></iframe>'],
    ['an unknown scheme', '<a href="livescript:alert(1)">x</a>'],
    ['a link in an svg', '<svg><a href="/x"><text>x</text></a></svg>'],
    ['a script in an svg', '<svg><title>t</title><script>alert(1)</script></svg>'],
    ['an animation in an svg', '<svg><rect><set attributeName="x" to="1"/></rect></svg>'],
    ['an svg handler', '<svg><rect onclick="alert(1)"/></svg>'],
    ['an svg in a post body', '<div class="post-body"><svg><rect/></svg></div>'],
    ['a math element', '<math><mi>x</mi></math>'],
    ['a style element', '<style>*{}</style>'],
    ['a style attribute', '<span style="color:red">x</span>'],
    ['an iframe with srcdoc', '<iframe srcdoc="x"></iframe>'],
    ['a formaction', '<button formaction="/x">x</button>'],
    ['a form posting elsewhere', '<form action="//xss.example/"></form>'],
    ['a meta refresh', '<meta http-equiv="Refresh" content="0;url=/x">'],
    ['a base element', '<base href="/">'],
    ['an object', '<object data="/x"></object>'],
    ['a link rel=import', '<link rel="import" href="/x">'],
    ['a stylesheet from elsewhere', '<link rel="stylesheet" href="https://xss.example/x.css">'],
    ['an xlink:href', '<a xlink:href="javascript:alert(1)">x</a>'],
    ['a srcset', '<img srcset="/a.png 1x, javascript:alert(1) 2x">'],
    ['a noscript (parser differential)', '<noscript><p title="</noscript><img src=x>"></noscript>'],
    ['an image in a post body', '<div class="post-body"><img src="/x.png"></div>'],
    ['a class in a post body', '<div class="post-body"><p class="x">y</p></div>'],
    ['a bad code class in a post body', '<div class="post-body"><code class="a b">y</code></div>'],
  ])('rejects %s', (_case, inner) => {
    expect(() => assertNoExecutableMarkup(page(inner))).toThrow(/Executable markup/);
  });

  it('checks feed fragments as post bodies', () => {
    expect(() =>
      assertNoExecutableMarkup('<p>x</p><a href="https://ok.example">y</a>', 'feed', {
        postBody: true,
      }),
    ).not.toThrow();
    expect(() =>
      assertNoExecutableMarkup('<p>x</p><input autofocus>', 'feed', { postBody: true }),
    ).toThrow(/<input> element in a post body/);
  });

  it('normalises URLs the way a browser reads their scheme', () => {
    expect(compactUrl(' \x01JaVa\tScRiPt:alert(1)')).toBe('javascript:alert(1)');
    expect(urlProblem('\u00a0j\u200bavascript:alert(1)')).not.toBeNull();
    expect(urlProblem('https://ok.example/javascript:alert(1)')).toBeNull();
    expect(urlProblem('/threads/1/javascript-alert-1')).toBeNull();
    expect(urlProblem('mailto:a@ok.example')).toBeNull();
  });
});

describe('the payload list', () => {
  it('has at least 60 distinct payloads across the cheat-sheet categories', () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(PAYLOADS.map((payload) => payload.text)).size).toBe(PAYLOADS.length);
    const categories = new Set(PAYLOADS.map((payload) => payload.category));
    for (const category of [
      'script tags',
      'event handlers',
      'javascript: links in every spelling',
      'SVG and MathML',
      'frames, objects, forms, meta',
      'broken markup',
      'reference links',
      'HTML entities and encodings',
    ])
      expect(categories).toContain(category);
  });
});

describe('XSS payloads through every field a member writes', () => {
  let t: TestApp;
  let author: TestClient;
  let reader: TestClient;
  const visitor = () => new TestClient(t.app);
  const AUTHOR = 'xss_author';
  const FALLBACK_VENDOR = 'Fallback Vendor';
  let anonymousVendors = 0;

  /** What was posted, for the site-wide pages checked at the end. */
  const posted: Array<{ id: number; title: string; anonymous: boolean }> = [];
  const vendorPages = new Set<string>();
  const rejectedVendorFields: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    author = new TestClient(t.app);
    reader = new TestClient(t.app);
    await registerMember(author, AUTHOR);
    await registerMember(reader, 'xss_reader');
    await author.get('/threads/new');
  });
  afterAll(async () => t?.close());

  /** Posts a story; a vendor field the form refuses is checked on the 400 page, then replaced. */
  async function postStory(form: Record<string, string>, where: string) {
    let vendors = form.vendors!;
    let response = await author.post('/threads', { ...form, action: 'post' });
    if (response.statusCode === 400) {
      const refused = checkPage(response, `${where}: refused form`, 400);
      expect(byId(refused, 'vendors-error'), `${where}: why it was refused`).toBeTruthy();
      expect(byClass(refused.children, 'field-error'), `${where}: only the vendor`).toHaveLength(1);
      // Kept as the forum keeps any input: without control characters.
      const kept = (field: string, multiline = false) => cleanText(form[field] ?? '', multiline);
      expect(inputValue(refused, 'vendors'), `${where}: vendors kept`).toBe(kept('vendors'));
      expect(inputValue(refused, 'title'), `${where}: title kept`).toBe(kept('title'));
      expect(inputValue(refused, 'tier'), `${where}: tier kept`).toBe(kept('tier'));
      expect(DomUtils.textContent(byId(refused, 'body')!), `${where}: body kept`).toBe(
        kept('body', true),
      );
      rejectedVendorFields.push(form.vendors!);
      vendors = FALLBACK_VENDOR;
      response = await author.post('/threads', { ...form, vendors, action: 'post' });
    }
    if (response.statusCode === 409) {
      // One anonymous story per member and vendor: the refusal page escapes the input too.
      const refused = checkPage(response, `${where}: second anonymous story`, 409);
      expect(byId(refused, 'anonymous-error'), `${where}: why it was refused`).toBeTruthy();
      vendors = `Anonymous Vendor ${++anonymousVendors}`;
      response = await author.post('/threads', { ...form, vendors, action: 'post' });
    }
    expect(response.statusCode, `${where}: ${response.body.slice(0, 1000)}`).toBe(303);
    const location = locationOf(response);
    const id = Number(/^\/threads\/(\d+)\//.exec(location)?.[1]);
    expect(id, location).toBeGreaterThan(0);
    return { id, location, vendors };
  }

  async function postReply(threadId: number, body: string, where: string) {
    const response = await author.post(`/threads/${threadId}/replies`, { body });
    expect(response.statusCode, `${where}: ${response.body.slice(0, 1000)}`).toBe(303);
    const replyId = Number(/#reply-(\d+)$/.exec(locationOf(response))?.[1]);
    expect(replyId).toBeGreaterThan(0);
    return replyId;
  }

  it.each(PAYLOADS.map((payload, i) => [i + 1, payload.category, payload] as const))(
    'payload %i (%s) is inert as title, body, tier, vendor and reply',
    async (n, _category, payload) => {
      const where = `payload ${n} ${JSON.stringify(payload.text)}`;
      const title = `XSS ${n}: ${payload.text}`.slice(0, 150);
      const tier = payload.text.slice(0, 40);
      const vendors = payload.text.slice(0, 60);
      const body = payload.text;
      const anonymous = n % 5 === 0;
      // As the forum keeps them: no control characters, and single-line fields on one line.
      const [shownTitle, shownTier, shownBody] = [
        cleanText(title, false),
        cleanText(tier, false),
        cleanText(body, true),
      ];

      // The preview: the Markdown rendered, and every field echoed into the form.
      const previewResponse = await author.post('/threads', {
        title,
        body,
        tier,
        vendors: 'Preview Vendor',
        sentiment: 'mixed',
        action: 'preview',
      });
      const preview = checkPage(previewResponse, `${where}: preview`);
      const previewSection = byClass(preview.children, 'preview')[0];
      expect(previewSection, `${where}: preview section`).toBeTruthy();
      expect(text(byClass([previewSection!], 'preview-title')[0]!)).toBe(norm(shownTitle));
      expectBodyShown(byClass([previewSection!], 'post-body')[0], payload, `${where}: preview`);
      expect(inputValue(preview, 'title')).toBe(shownTitle);
      expect(inputValue(preview, 'tier')).toBe(shownTier);
      expect(DomUtils.textContent(byId(preview, 'body')!)).toBe(shownBody);

      // The story, with the payload as title, body, tier and vendor; then a reply.
      const story = await postStory(
        {
          title,
          body,
          tier,
          vendors,
          sentiment: ['good', 'mixed', 'bad'][n % 3]!,
          area_presales: n % 2 ? 'good' : 'bad',
          ...(anonymous ? { anonymous: 'on' } : {}),
        },
        where,
      );
      posted.push({ id: story.id, title: shownTitle, anonymous });
      const replyId = await postReply(story.id, body, where);

      // The thread page, as its author (edit links, reply form) and as another member (votes).
      let vendorTags: DomElement[] = [];
      for (const [who, client] of [
        ['author', author],
        ['reader', reader],
      ] as const) {
        const page = await getPage(client, story.location);
        const pageWhere = `${where}: thread page as ${who}`;
        expect(text(byId(page, 'story-title')!), pageWhere).toBe(norm(shownTitle));
        const article = byId(page, 'story')!;
        expectBodyShown(byClass([article], 'post-body')[0], payload, `${pageWhere}, story`);
        const reply = byId(page, `reply-${replyId}`);
        expectBodyShown(byClass([reply!], 'post-body')[0], payload, `${pageWhere}, reply`);

        const tierKey = vendorMatchKey(tidyName(tier));
        const tiers = byClass([article], 'tier').map((element) =>
          vendorMatchKey(text(element).replace(/ partner$/, '')),
        );
        expect(tiers, `${pageWhere}: tier`).toEqual(tierKey ? [tierKey] : []);

        const tags = byClass([article], 'vendor-tag');
        const shownKeys = tags.map((element) => vendorMatchKey(text(element)));
        const expected = parseVendorList(story.vendors);
        for (const name of expected)
          expect(shownKeys, `${pageWhere}: vendor ${name}`).toContain(vendorMatchKey(name));
        for (const tag of tags) vendorPages.add(tag.attribs.href!);
        vendorTags = tags;
      }

      // The edit forms echo the stored source.
      const edit = await getPage(author, `/threads/${story.id}/edit`);
      expect(inputValue(edit, 'title')).toBe(shownTitle.trim());
      expect(DomUtils.textContent(byId(edit, 'body')!)).toBe(shownBody);
      const editReply = await getPage(author, `/replies/${replyId}/edit`);
      expect(DomUtils.textContent(byId(editReply, 'body')!)).toBe(shownBody);

      // The vendor pages and the form preselecting that vendor.
      for (const tag of vendorTags) {
        const href = tag.attribs.href!;
        const vendorPage = await getPage(visitor(), href);
        expect(
          vendorMatchKey(text(DomUtils.getElementsByTagName('h1', vendorPage.children)[0]!)),
        ).toBe(vendorMatchKey(text(tag)));
        const slug = href.replace(/^\/vendors\//, '');
        const form = await getPage(author, `/threads/new?vendor=${encodeURIComponent(slug)}`);
        expect(vendorMatchKey(inputValue(form, 'vendors') ?? '')).toBe(vendorMatchKey(text(tag)));
      }

      // Reflected: the vendor filter, the login page's return address, and addresses that do not
      // exist.
      await getPage(visitor(), `/vendors?q=${encodeURIComponent(payload.text)}`);
      await getPage(visitor(), `/login?next=${encodeURIComponent(payload.text)}`);
      await getPage(visitor(), `/vendors/${encodeURIComponent(payload.text)}`, 404);
      await getPage(visitor(), `/users/${encodeURIComponent(payload.text)}`, 404);
    },
  );

  describe('all payloads together', () => {
    const blocks = PAYLOADS.map((payload) => payload.text).join('\n\n');
    const list = PAYLOADS.map((payload, i) => `${i + 1}. ${payload.text}`).join('\n\n');
    const inline = PAYLOADS.map((payload) => payload.text.replace(/\n+/g, ' ')).join(' ');

    it('fit in one body', () => {
      for (const body of [blocks, list, inline]) expect(body.length).toBeLessThanOrEqual(20_000);
    });

    it('in one story and its replies render inertly, as blocks, a list and one paragraph', async () => {
      const title = 'All payloads in one story';
      const previewResponse = await author.post('/threads', {
        title,
        body: blocks,
        vendors: 'Bulk Vendor',
        sentiment: 'bad',
        action: 'preview',
      });
      checkPage(previewResponse, 'bulk preview');

      const story = await postStory(
        { title, body: blocks, vendors: 'Bulk Vendor', sentiment: 'bad', tier: 'Gold' },
        'bulk story',
      );
      posted.push({ id: story.id, title, anonymous: false });
      const replies = [
        await postReply(story.id, list, 'bulk list reply'),
        await postReply(story.id, inline, 'bulk inline reply'),
      ];
      for (const client of [author, reader, visitor()]) {
        const page = await getPage(client, story.location);
        const bodies = byClass(page.children, 'post-body');
        expect(bodies).toHaveLength(3);
        // Every raw-HTML payload is still there, as text, in the story shown as blocks.
        const storyText = text(bodies[0]!);
        for (const payload of PAYLOADS.filter((p) => p.shownAsText))
          expect(storyText).toContain(norm(payload.text));
        for (const replyId of replies) expect(byId(page, `reply-${replyId}`)).toBeTruthy();
      }
    });

    it('in refused forms come back escaped', async () => {
      const everything = PAYLOADS.map((payload) => payload.text).join(' ');
      const story = await author.post('/threads', {
        title: everything,
        body: everything + ' '.repeat(20_001),
        tier: everything,
        vendors: everything,
        sentiment: '"><script>alert(1)</script>',
        action: 'post',
      });
      const refused = checkPage(story, 'refused story', 400);
      const shown = cleanText(everything, false);
      expect(inputValue(refused, 'title')).toBe(shown);
      expect(inputValue(refused, 'tier')).toBe(shown);
      expect(inputValue(refused, 'vendors')).toBe(shown);

      const threadId = posted[0]!.id;
      const reply = await author.post(`/threads/${threadId}/replies`, {
        body: everything + 'x'.repeat(20_001),
      });
      const refusedReply = checkPage(reply, 'refused reply', 400);
      expect(DomUtils.textContent(byId(refusedReply, 'reply-body')!)).toBe(
        cleanText(everything, true) + 'x'.repeat(20_001),
      );
    });
  });

  describe('site-wide pages', () => {
    it('the front page, every page of it, for a visitor and a member', async () => {
      for (const client of [visitor(), reader]) {
        const pages = await crawl(client, '/');
        const titles = pages.flatMap((page) =>
          byClass(page.children, 'thread-title').map((element) => text(element)),
        );
        for (const story of posted) expect(titles).toContain(norm(story.title));
      }
    });

    it('the vendor directory, every page of it', async () => {
      const pages = await crawl(visitor(), '/vendors');
      const links = new Set(
        pages.flatMap((page) =>
          all(page.children, (element) => element.name === 'a').map((a) => a.attribs.href),
        ),
      );
      // Some vendor payloads were refused (and checked on the refused form), others became vendors.
      expect(rejectedVendorFields.length).toBeGreaterThan(10);
      expect(vendorPages.size).toBeGreaterThan(10);
      for (const href of vendorPages) expect(links).toContain(href);
    });

    it('every vendor page', async () => {
      for (const href of vendorPages) await crawl(visitor(), href);
    });

    it("the author's profile, with stories and replies", async () => {
      const pages = await crawl(visitor(), `/users/${AUTHOR}`);
      const shown = text(pages.flatMap((page) => page.children));
      for (const story of posted.filter((s) => !s.anonymous).slice(0, 10))
        expect(shown).toContain(norm(story.title));
    });

    it('the Atom feeds carry only inert HTML', async () => {
      const feeds = [
        '/feed.atom',
        ...[...vendorPages].slice(0, 5).map((href) => `${href}/feed.atom`),
      ];
      for (const url of feeds) {
        const response = await visitor().get(url);
        expect(response.statusCode, url).toBe(200);
        const feed = parseDocument(response.body, { xmlMode: true });
        const elements = all(feed.children, () => true);
        const names = new Set(elements.map((element) => element.name));
        for (const name of names)
          expect([
            'feed',
            'title',
            'subtitle',
            'id',
            'link',
            'updated',
            'published',
            'entry',
            'author',
            'name',
            'category',
            'content',
            'summary',
          ]).toContain(name);
        for (const element of elements) {
          for (const [attribute, value] of Object.entries(element.attribs))
            if (URL_ATTRIBUTES.has(attribute))
              expect(urlProblem(value), `${url} ${value}`).toBeNull();
        }
        const contents = elements.filter((element) => element.name === 'content');
        expect(contents.length, url).toBeGreaterThan(0);
        for (const content of contents) {
          expect(content.attribs.type).toBe('html');
          assertNoExecutableMarkup(DomUtils.textContent(content), `${url} entry content`, {
            postBody: true,
          });
        }
      }
    });
  });
});
