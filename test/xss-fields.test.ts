import { DomUtils } from 'htmlparser2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVendorList, tidyName, vendorMatchKey } from '../server/vendors/names.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import type { DomElement } from './helpers/xss-checker.js';
import { PAYLOADS } from './helpers/xss-payloads.js';
import {
  PayloadAuthor,
  byClass,
  byId,
  checkPage,
  expectBodyShown,
  getPage,
  inputValue,
  norm,
  payloadStory,
  text,
} from './helpers/xss-pages.js';

/*
 * XSS, field by field: each payload goes through every field a member writes — story title,
 * body, tier and vendor names, and a reply — and every page that shows or echoes it is parsed
 * and checked for executable markup (test/helpers/xss-checker.ts). Each test posts what it
 * checks; test/xss-site.test.ts checks the pages that list everything.
 */

describe('XSS payloads through every field a member writes', () => {
  let t: TestApp;
  let author: PayloadAuthor;
  let reader: TestClient;
  const visitor = () => new TestClient(t.app);

  beforeAll(async () => {
    t = await createTestApp();
    author = new PayloadAuthor(new TestClient(t.app));
    reader = new TestClient(t.app);
    await registerMember(author.client, 'xss_author');
    await registerMember(reader, 'xss_reader');
    await author.client.get('/threads/new');
  });
  afterAll(async () => t?.close());

  it.each(PAYLOADS.map((payload, i) => [i + 1, payload.category, payload] as const))(
    'payload %i (%s) is inert as title, body, tier, vendor and reply',
    async (n, _category, payload) => {
      const where = `payload ${n} ${JSON.stringify(payload.text)}`;
      const { form, shown } = payloadStory(payload, n);

      // The preview: the Markdown rendered, and every field echoed into the form.
      const previewResponse = await author.client.post('/threads', {
        title: form.title,
        body: form.body,
        tier: form.tier,
        vendors: 'Preview Vendor',
        sentiment: 'mixed',
        action: 'preview',
      });
      const preview = checkPage(previewResponse, `${where}: preview`);
      const previewSection = byClass(preview.children, 'preview')[0];
      expect(previewSection, `${where}: preview section`).toBeTruthy();
      expect(text(byClass([previewSection!], 'preview-title')[0]!)).toBe(norm(shown.title));
      expectBodyShown(byClass([previewSection!], 'post-body')[0], payload, `${where}: preview`);
      expect(inputValue(preview, 'title')).toBe(shown.title);
      expect(inputValue(preview, 'tier')).toBe(shown.tier);
      expect(DomUtils.textContent(byId(preview, 'body')!)).toBe(shown.body);

      // The story, with the payload as title, body, tier and vendor; then a reply.
      const story = await author.postStory(form, where);
      const replyId = await author.postReply(story.id, form.body, where);

      // The thread page, as its author (edit links, reply form) and as another member (votes).
      let vendorTags: DomElement[] = [];
      for (const [who, client] of [
        ['author', author.client],
        ['reader', reader],
      ] as const) {
        const page = await getPage(client, story.location);
        const pageWhere = `${where}: thread page as ${who}`;
        expect(text(byId(page, 'story-title')!), pageWhere).toBe(norm(shown.title));
        const article = byId(page, 'story')!;
        expectBodyShown(byClass([article], 'post-body')[0], payload, `${pageWhere}, story`);
        const reply = byId(page, `reply-${replyId}`);
        expectBodyShown(byClass([reply!], 'post-body')[0], payload, `${pageWhere}, reply`);

        const tierKey = vendorMatchKey(tidyName(form.tier));
        const tiers = byClass([article], 'tier').map((element) =>
          vendorMatchKey(text(element).replace(/ partner$/, '')),
        );
        expect(tiers, `${pageWhere}: tier`).toEqual(tierKey ? [tierKey] : []);

        const tags = byClass([article], 'vendor-tag');
        const shownKeys = tags.map((element) => vendorMatchKey(text(element)));
        const expected = parseVendorList(story.vendors);
        expect(expected.length, `${pageWhere}: vendors`).toBeGreaterThan(0);
        for (const name of expected)
          expect(shownKeys, `${pageWhere}: vendor ${name}`).toContain(vendorMatchKey(name));
        vendorTags = tags;
      }

      // The edit forms echo the stored source.
      const edit = await getPage(author.client, `/threads/${story.id}/edit`);
      expect(inputValue(edit, 'title')).toBe(shown.title.trim());
      expect(DomUtils.textContent(byId(edit, 'body')!)).toBe(shown.body);
      const editReply = await getPage(author.client, `/replies/${replyId}/edit`);
      expect(DomUtils.textContent(byId(editReply, 'body')!)).toBe(shown.body);

      // The vendor pages and the form preselecting that vendor.
      expect(vendorTags.length, `${where}: vendor links`).toBeGreaterThan(0);
      for (const tag of vendorTags) {
        const href = tag.attribs.href!;
        const vendorPage = await getPage(visitor(), href);
        expect(
          vendorMatchKey(text(DomUtils.getElementsByTagName('h1', vendorPage.children)[0]!)),
        ).toBe(vendorMatchKey(text(tag)));
        const slug = href.replace(/^\/vendors\//, '');
        const newStory = await getPage(
          author.client,
          `/threads/new?vendor=${encodeURIComponent(slug)}`,
        );
        expect(vendorMatchKey(inputValue(newStory, 'vendors') ?? '')).toBe(
          vendorMatchKey(text(tag)),
        );
      }

      // Reflected: the vendor filter, the login page's return address, and addresses that do not
      // exist.
      await getPage(visitor(), `/vendors?q=${encodeURIComponent(payload.text)}`);
      await getPage(visitor(), `/login?next=${encodeURIComponent(payload.text)}`);
      await getPage(visitor(), `/vendors/${encodeURIComponent(payload.text)}`, 404);
      await getPage(visitor(), `/users/${encodeURIComponent(payload.text)}`, 404);
    },
  );
});
