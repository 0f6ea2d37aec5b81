import { DomUtils, parseDocument } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vendorMatchKey } from '../server/vendors/names.js';
import { cleanText } from '../server/security/input.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { URL_ATTRIBUTES, assertNoExecutableMarkup, urlProblem } from './helpers/xss-checker.js';
import { PAYLOADS } from './helpers/xss-payloads.js';
import {
  PayloadAuthor,
  all,
  byClass,
  byId,
  checkPage,
  crawl,
  getPage,
  inputValue,
  norm,
  payloadStory,
  text,
} from './helpers/xss-pages.js';

/*
 * XSS on the pages that list what members wrote: the front page, the vendor directory and
 * vendor pages, a profile and the Atom feeds, with every payload posted first (in beforeAll,
 * so that each test here can run alone), and every payload at once in one story.
 */

const FEED_ELEMENTS = [
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
];

describe('XSS payloads on the pages that list them', () => {
  let t: TestApp;
  let author: PayloadAuthor;
  let reader: TestClient;
  const visitor = () => new TestClient(t.app);
  const AUTHOR = 'xss_author';

  /** Every payload's story, and the vendor pages its stories link to (href → vendor name). */
  const posted: Array<{ id: number; title: string; anonymous: boolean }> = [];
  const vendorPages = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    author = new PayloadAuthor(new TestClient(t.app));
    reader = new TestClient(t.app);
    await registerMember(author.client, AUTHOR);
    await registerMember(reader, 'xss_reader');
    await author.client.get('/threads/new');
    for (const [i, payload] of PAYLOADS.entries()) {
      const where = `payload ${i + 1} ${JSON.stringify(payload.text)}`;
      const { form, shown, anonymous } = payloadStory(payload, i + 1);
      const story = await author.postStory(form, where);
      await author.postReply(story.id, form.body, where);
      posted.push({ id: story.id, title: shown.title, anonymous });
      const page = await getPage(visitor(), story.location);
      for (const tag of byClass(page.children, 'vendor-tag'))
        vendorPages.set(tag.attribs.href!, text(tag));
    }
  });
  afterAll(async () => t?.close());

  it('has every payload posted, some vendor fields refused and others made vendors', () => {
    expect(posted).toHaveLength(PAYLOADS.length);
    expect(author.refusedVendorFields.length).toBeGreaterThan(10);
    expect(vendorPages.size).toBeGreaterThan(10);
  });

  it('the front page, every page of it, for a visitor and a member', async () => {
    for (const client of [visitor(), reader]) {
      const pages = await crawl(client, '/');
      expect(pages.length).toBeGreaterThan(1);
      const titles = pages.flatMap((page) =>
        byClass(page.children, 'thread-title').map((element) => text(element)),
      );
      for (const story of posted) expect(titles).toContain(norm(story.title));
    }
  });

  it('the vendor directory, every page of it, links every vendor page', async () => {
    const pages = await crawl(visitor(), '/vendors');
    const links = new Set(
      pages.flatMap((page) =>
        all(page.children, (element) => element.name === 'a').map((a) => a.attribs.href),
      ),
    );
    expect(vendorPages.size).toBeGreaterThan(10);
    for (const href of vendorPages.keys()) expect(links).toContain(href);
  });

  it('every vendor page, every page of each, names its vendor', async () => {
    let checked = 0;
    for (const [href, name] of vendorPages) {
      const [first] = await crawl(visitor(), href);
      const heading = DomUtils.getElementsByTagName('h1', first!.children)[0];
      expect(vendorMatchKey(text(heading!)), href).toBe(vendorMatchKey(name));
      checked++;
    }
    expect(checked).toBe(vendorPages.size);
    expect(checked).toBeGreaterThan(10);
  });

  it("the author's profile, with stories and replies", async () => {
    const pages = await crawl(visitor(), `/users/${AUTHOR}`);
    const shown = text(pages.flatMap((page) => page.children));
    const named = posted.filter((story) => !story.anonymous).slice(0, 10);
    expect(named).toHaveLength(10);
    for (const story of named) expect(shown).toContain(norm(story.title));
  });

  it('the Atom feeds carry only inert HTML', async () => {
    const feeds = [
      '/feed.atom',
      ...[...vendorPages.keys()].slice(0, 5).map((href) => `${href}/feed.atom`),
    ];
    expect(feeds).toHaveLength(6);
    for (const url of feeds) {
      const response = await visitor().get(url);
      expect(response.statusCode, url).toBe(200);
      const feed = parseDocument(response.body, { xmlMode: true });
      const elements = all(feed.children, () => true);
      for (const name of new Set(elements.map((element) => element.name)))
        expect(FEED_ELEMENTS, url).toContain(name);
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

  describe('all payloads together', () => {
    const blocks = PAYLOADS.map((payload) => payload.text).join('\n\n');
    const list = PAYLOADS.map((payload, i) => `${i + 1}. ${payload.text}`).join('\n\n');
    const inline = PAYLOADS.map((payload) => payload.text.replace(/\n+/g, ' ')).join(' ');

    it('fit in one body', () => {
      for (const body of [blocks, list, inline]) expect(body.length).toBeLessThanOrEqual(20_000);
    });

    it('in one story and its replies render inertly, as blocks, a list and one paragraph', async () => {
      const title = 'All payloads in one story';
      const previewResponse = await author.client.post('/threads', {
        title,
        body: blocks,
        vendors: 'Bulk Vendor',
        sentiment: 'bad',
        action: 'preview',
      });
      checkPage(previewResponse, 'bulk preview');

      const story = await author.postStory(
        { title, body: blocks, vendors: 'Bulk Vendor', sentiment: 'bad', tier: 'Gold' },
        'bulk story',
      );
      const replies = [
        await author.postReply(story.id, list, 'bulk list reply'),
        await author.postReply(story.id, inline, 'bulk inline reply'),
      ];
      for (const client of [author.client, reader, visitor()]) {
        const page = await getPage(client, story.location);
        expect(text(byId(page, 'story-title')!)).toBe(title);
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
      const story = await author.client.post('/threads', {
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
      const reply = await author.client.post(`/threads/${threadId}/replies`, {
        body: everything + 'x'.repeat(20_001),
      });
      const refusedReply = checkPage(reply, 'refused reply', 400);
      expect(DomUtils.textContent(byId(refusedReply, 'reply-body')!)).toBe(
        cleanText(everything, true) + 'x'.repeat(20_001),
      );
    });
  });
});
