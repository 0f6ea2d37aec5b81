import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MarkdownTooComplex,
  TOO_COMPLEX_MESSAGE,
  configureMarkdown,
  renderMarkdown,
} from '../server/markdown.js';

// Issue 10, finding 2: Markdown must not freeze the event loop. Whatever a member writes within
// the allowed size is either formatted or refused with a clear message, and while it is being
// formatted the process keeps answering: the main event loop never stalls for 100 ms.

const MAX_BODY = 20_000;
const TIME_LIMIT_MS = 1000;
/** What the issue asks: no input blocks other requests for more than this. */
const MAX_STALL_MS = 100;

beforeAll(() => configureMarkdown({ timeoutMs: TIME_LIMIT_MS, threads: 2 }));

interface Watched<T> {
  settled: PromiseSettledResult<T>;
  /** The longest the main event loop went without running a 5 ms heartbeat. */
  maxGapMs: number;
  elapsedMs: number;
}

/** Runs `work` while a heartbeat measures how long the main event loop is kept from running. */
async function watch<T>(work: () => Promise<T>): Promise<Watched<T>> {
  const started = performance.now();
  let last = started;
  let maxGapMs = 0;
  const beat = () => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  };
  const heartbeat = setInterval(beat, 5);
  const [settled] = await Promise.allSettled([work()]);
  clearInterval(heartbeat);
  beat();
  return { settled: settled!, maxGapMs, elapsedMs: performance.now() - started };
}

/**
 * As watch(), again up to twice while the loop looks stalled, keeping the calmest attempt. Work
 * that blocks the event loop stalls it on every attempt (for seconds, before the fix); a loaded
 * machine that leaves the process unscheduled for a moment does not do it three times running.
 */
async function watchSteadily<T>(work: () => Promise<T>): Promise<Watched<T>> {
  let calmest = await watch(work);
  for (let attempt = 1; attempt < 3 && calmest.maxGapMs >= MAX_STALL_MS; attempt++) {
    const again = await watch(work);
    if (again.maxGapMs < calmest.maxGapMs) calmest = again;
  }
  return calmest;
}

/** How a failure report names a generated text: its start and length, not 20,000 characters. */
const describeSource = (source: string) =>
  `${JSON.stringify(source.slice(0, 60))}… (${source.length} characters)`;

const sample = (source: string) => ({
  source,
  [fc.toStringMethod]: () => describeSource(source),
});

/** Repeats a unit up to `count` times, within the allowed body size. */
const repeat = (unit: string, count: number) =>
  unit.repeat(Math.max(1, Math.min(count, Math.floor(MAX_BODY / unit.length))));

/** Short pieces whose long runs are known to be hard for Markdown parsers. */
const UNITS = [
  // emphasis and strike-through delimiters, alone and mixed with words
  '*',
  '_',
  '**',
  '__',
  '*_',
  '_*',
  '*_a',
  '_*a',
  '*a',
  'a*',
  '**a',
  '***',
  '*a_',
  ' *',
  '~',
  '~~',
  '~a',
  // brackets, links and images
  '[',
  ']',
  '[a',
  '[a]',
  '[](',
  '![',
  '](',
  '[a](',
  '[a](b',
  '(',
  '[a][a]',
  '[a][]',
  '[a]: http://x\n',
  '<http://',
  '\\',
  '&',
  '&#',
  // quotes and lists
  '>',
  '> ',
  '>\n',
  '- ',
  '* ',
  '1. ',
  '1) ',
  '- > ',
  '> - ',
  '> 1. ',
  // code
  '`',
  '``',
  '`a',
  '```\n',
  '~~~\n',
  '    a\n',
  // HTML-looking text
  '<',
  '<a',
  '<a ',
  '</a',
  '<!--',
  '<?',
  '<![CDATA[',
  '<!A',
  '<a href="',
  // tables and headings
  '|',
  '|a',
  '| - ',
  '|-|\n',
  '#',
  '# ',
  'a\n=\n',
  '\n',
];

const unit = fc.constantFrom(...UNITS);
const count = fc.integer({ min: 1, max: MAX_BODY });

/** One unit repeated, up to the whole allowed size. */
const run = fc.tuple(unit, count).map(([piece, times]) => repeat(piece, times));

/** Several runs of different units one after another (mixed delimiters, quoted lists …). */
const mixed = fc
  .array(fc.tuple(unit, fc.integer({ min: 1, max: 4000 })), { minLength: 2, maxLength: 8 })
  .map((runs) => runs.map(([piece, times]) => piece.repeat(times)).join(''))
  .map((text) => text.slice(0, MAX_BODY));

/** Lists nested by indentation, one level deeper on each line. */
const indentedList = fc
  .tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom('- ', '* ', '1. ', '> '))
  .map(([depth, marker]) => {
    const lines: string[] = [];
    let size = 0;
    for (let level = 0; level < depth; level++) {
      const line = `${'  '.repeat(level)}${marker}a`;
      if (size + line.length + 1 > MAX_BODY) break;
      lines.push(line);
      size += line.length + 1;
    }
    return lines.join('\n');
  });

/** A long table: many columns or many rows. */
const table = fc
  .tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 5000 }), fc.boolean())
  .map(([columns, rows, emphasis]) => {
    const cell = emphasis ? '*_a|' : 'a|';
    const header = `|${'h|'.repeat(columns)}\n|${'-|'.repeat(columns)}\n`;
    const row = `|${cell.repeat(columns)}\n`;
    const room = Math.max(0, Math.floor((MAX_BODY - header.length) / row.length));
    return (header + row.repeat(Math.min(rows, room))).slice(0, MAX_BODY);
  });

/** Many link reference definitions, then many uses of them. */
const references = fc.integer({ min: 1, max: 1500 }).map((n) => {
  const labels = Array.from({ length: n }, (_, i) => `r${i}`);
  const definitions = labels.map((label) => `[${label}]: https://example.com/${label}\n`);
  const uses = labels.map((label) => `[x][${label}] *[${label}]_`);
  return (definitions.join('') + '\n' + uses.join(' ')).slice(0, MAX_BODY);
});

const pathological = fc.oneof(run, run, mixed, indentedList, table, references).map(sample);

/** Formatted or refused with the clear message, within the time limit, the loop never stalled. */
async function expectFormattedOrRefused(source: string) {
  const watched = await watchSteadily(() => renderMarkdown(source));
  const what = describeSource(source);
  const { settled } = watched;
  if (settled.status === 'rejected') {
    expect(settled.reason, `${what} failed`).toBeInstanceOf(MarkdownTooComplex);
    expect((settled.reason as Error).message).toBe(TOO_COMPLEX_MESSAGE);
  } else {
    expect(typeof settled.value).toBe('string');
  }
  expect(watched.maxGapMs, `${what} stalled the event loop`).toBeLessThan(MAX_STALL_MS);
  // With room for starting a fresh worker on a slow machine.
  expect(watched.elapsedMs, `${what} outlived the time limit`).toBeLessThan(TIME_LIMIT_MS + 3000);
}

describe('Markdown formatting', () => {
  it('still formats ordinary Markdown, sanitized', async () => {
    expect(await renderMarkdown('We asked *three* times.\n\n> quote\n\n- a\n- b')).toBe(
      '<p>We asked <em>three</em> times.</p>\n<blockquote>\n<p>quote</p>\n</blockquote>\n' +
        '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n',
    );
    expect(await renderMarkdown('[x](javascript:alert(1)) <script>alert(1)</script>')).toBe(
      '<p><a rel="nofollow ugc noopener">x</a> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
  });

  it.each([
    ['*_a repeated 6,666 times (quadratic emphasis parsing)', '*_a'.repeat(6666)],
    ['> repeated 3,000 times (a stack overflow)', '>'.repeat(3000)],
    ['> repeated 20,000 times', '>'.repeat(MAX_BODY)],
  ])('formats or refuses %s without stalling the process', async (_name, source) => {
    await expectFormattedOrRefused(source);
  });

  it('formats quotes and lists nested a few levels deep, and refuses them nested far deeper', async () => {
    const quotes = (depth: number) => `${'>'.repeat(depth)} deep`;
    const list = (depth: number) =>
      Array.from({ length: depth }, (_, level) => `${'  '.repeat(level)}- item`).join('\n');
    expect(await renderMarkdown(quotes(10))).toContain('<p>deep</p>');
    expect(await renderMarkdown(list(10))).toContain('<li>item');
    for (const source of [quotes(100), list(100), '>'.repeat(3000)]) {
      await expect(renderMarkdown(source)).rejects.toThrow(TOO_COMPLEX_MESSAGE);
    }
  });

  it('refuses a text that takes longer than the time limit, and formats the next one', async () => {
    const watched = await watch(() => renderMarkdown('*_a'.repeat(6666)));
    expect(watched.settled).toMatchObject({ status: 'rejected', reason: new MarkdownTooComplex() });
    expect(watched.elapsedMs).toBeGreaterThanOrEqual(TIME_LIMIT_MS - 50);
    expect(await renderMarkdown('**still** working')).toBe(
      '<p><strong>still</strong> working</p>\n',
    );
  });

  it('formats or refuses every generated pathological text, never stalling the event loop', async () => {
    await fc.assert(
      fc.asyncProperty(pathological, ({ source }) => expectFormattedOrRefused(source)),
      { numRuns: 60, endOnFailure: true },
    );
    expect(await renderMarkdown('*ok*')).toBe('<p><em>ok</em></p>\n');
  }, 300_000);

  it('keeps answering while several heavy texts are formatted at once', async () => {
    const sources = ['*_a'.repeat(6666), '_*a'.repeat(6666), '**a'.repeat(6666), '*a'.repeat(9999)];
    const watched = await watchSteadily(() =>
      Promise.allSettled(sources.map((source) => renderMarkdown(source))),
    );
    for (const outcome of watched.settled.status === 'fulfilled' ? watched.settled.value : []) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(MarkdownTooComplex);
    }
    expect(watched.maxGapMs).toBeLessThan(MAX_STALL_MS);
  }, 60_000);
});
