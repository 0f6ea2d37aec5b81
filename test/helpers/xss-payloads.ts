/*
 * XSS payloads from the public cheat sheets (OWASP XSS Filter Evasion, PortSwigger, the
 * CommonMark/Markdown XSS lists), grouped by the trick they use.
 */

export interface Payload {
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

export const PAYLOADS: readonly Payload[] = [
  ...Object.entries(RAW_HTML).flatMap(([category, texts]) =>
    texts.map((text) => ({ category, text, shownAsText: true })),
  ),
  ...Object.entries(MARKDOWN).flatMap(([category, texts]) =>
    texts.map((text) => ({ category, text, shownAsText: false })),
  ),
];
