import { DomUtils, parseDocument } from 'htmlparser2';
import { expect } from 'vitest';
import { cleanText } from '../../server/security/input.js';
import type { TestClient } from './client.js';
import {
  assertNoExecutableMarkup,
  hasClass,
  type DomDocument,
  type DomElement,
  type DomNode,
} from './xss-checker.js';
import type { Payload } from './xss-payloads.js';

/** Whitespace-insensitive text, as a reader sees it. */
export const norm = (text: string) => text.replace(/\s+/g, ' ').trim();

export const text = (node: DomNode | DomNode[]) => norm(DomUtils.textContent(node));

export const all = (nodes: DomNode[], test: (element: DomElement) => boolean) =>
  DomUtils.findAll(test, nodes);

export const byId = (document: DomDocument, id: string) =>
  DomUtils.findOne((element) => element.attribs.id === id, document.children);

export const byClass = (nodes: DomNode[], name: string) =>
  all(nodes, (element) => hasClass(element, name));

/** A response page: HTML, and free of executable markup. */
export function checkPage(
  response: { statusCode: number; body: string; headers: Record<string, unknown> },
  where: string,
  status = 200,
): DomDocument {
  expect(response.statusCode, `${where}: ${response.body.slice(0, 500)}`).toBe(status);
  expect(String(response.headers['content-type']), where).toMatch(/^text\/html/);
  assertNoExecutableMarkup(response.body, where);
  return parseDocument(response.body);
}

export async function getPage(client: TestClient, url: string, status = 200) {
  return checkPage(await client.get(url), `GET ${url}`, status);
}

/** Follows the pagination's rel=next links from `start`; every page is checked. */
export async function crawl(client: TestClient, start: string): Promise<DomDocument[]> {
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

export function inputValue(document: DomDocument, id: string): string | undefined {
  return byId(document, id)?.attribs.value;
}

export function locationOf(response: { headers: Record<string, unknown> }): string {
  return String(response.headers.location);
}

/** The Markdown body must have come out as something a reader sees, not been dropped. */
export function expectBodyShown(
  body: DomElement | null | undefined,
  payload: Payload,
  where: string,
) {
  expect(body, `${where}: post body`).toBeTruthy();
  const shown = text(body!);
  expect(shown, `${where}: post body is empty`).not.toBe('');
  if (payload.shownAsText)
    expect(shown, `${where}: raw HTML shown as text`).toContain(norm(payload.text));
}

/** The story form with payload number `n` in every field a member writes. */
export function payloadStory(payload: Payload, n: number) {
  const title = `XSS ${n}: ${payload.text}`.slice(0, 150);
  const tier = payload.text.slice(0, 40);
  const anonymous = n % 5 === 0;
  return {
    form: {
      title,
      body: payload.text,
      tier,
      vendors: payload.text.slice(0, 60),
      sentiment: ['good', 'mixed', 'bad'][n % 3]!,
      area_presales: n % 2 ? 'good' : 'bad',
      ...(anonymous ? { anonymous: 'on' } : {}),
    },
    anonymous,
    // As the forum keeps them: no control characters, and single-line fields on one line.
    shown: {
      title: cleanText(title, false),
      tier: cleanText(tier, false),
      body: cleanText(payload.text, true),
    },
  };
}

/**
 * Posts stories and replies as one member. A vendor field the form refuses is checked on the
 * 400 page, then replaced by a plain vendor; a second anonymous story for one vendor, refused
 * with 409, goes to a vendor of its own.
 */
export class PayloadAuthor {
  static readonly FALLBACK_VENDOR = 'Fallback Vendor';
  /** The vendor fields the form refused, in order. */
  readonly refusedVendorFields: string[] = [];
  private anonymousVendors = 0;

  constructor(readonly client: TestClient) {}

  async postStory(form: Record<string, string>, where: string) {
    const author = this.client;
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
      this.refusedVendorFields.push(form.vendors!);
      vendors = PayloadAuthor.FALLBACK_VENDOR;
      response = await author.post('/threads', { ...form, vendors, action: 'post' });
    }
    if (response.statusCode === 409) {
      // One anonymous story per member and vendor: the refusal page escapes the input too.
      const refused = checkPage(response, `${where}: second anonymous story`, 409);
      expect(byId(refused, 'anonymous-error'), `${where}: why it was refused`).toBeTruthy();
      vendors = `Anonymous Vendor ${++this.anonymousVendors}`;
      response = await author.post('/threads', { ...form, vendors, action: 'post' });
    }
    expect(response.statusCode, `${where}: ${response.body.slice(0, 1000)}`).toBe(303);
    const location = locationOf(response);
    const id = Number(/^\/threads\/(\d+)\//.exec(location)?.[1]);
    expect(id, location).toBeGreaterThan(0);
    return { id, location, vendors };
  }

  async postReply(threadId: number, body: string, where: string) {
    const response = await this.client.post(`/threads/${threadId}/replies`, { body });
    expect(response.statusCode, `${where}: ${response.body.slice(0, 1000)}`).toBe(303);
    const replyId = Number(/#reply-(\d+)$/.exec(locationOf(response))?.[1]);
    expect(replyId).toBeGreaterThan(0);
    return replyId;
  }
}
