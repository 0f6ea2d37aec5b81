import { describe, expect, it } from 'vitest';
import { assertNoExecutableMarkup, compactUrl, urlProblem } from './helpers/xss-checker.js';
import { PAYLOADS } from './helpers/xss-payloads.js';

// The XSS checker itself: it passes a clean page and catches each kind of executable markup,
// so that the XSS tests, which run every page through it, cannot pass by missing a hole.

describe('assertNoExecutableMarkup', () => {
  const page = (inner: string) =>
    `<!doctype html><html><head><title>t</title><link rel="icon" href="/static/favicon.svg"><link rel="stylesheet" href="/static/style.css"><script src="/static/app.0123456789ab.js" defer></script></head><body><main>${inner}</main></body></html>`;

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
