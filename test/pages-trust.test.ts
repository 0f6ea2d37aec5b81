import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';

let t: TestApp;
let visible: number;
let hidden: number;
beforeAll(async () => {
  t = await createTestApp();
  const member = new TestClient(t.app);
  await registerMember(member, 'trust-writer');
  visible = await postStory(member, {
    title: 'Deal registration honoured in a week',
    vendors: 'Trust Vendor',
    body: 'The **partner manager** & the channel team answered in a day. Registration held.',
  });
  hidden = await postStory(member, { title: 'A story moderators hid', vendors: 'Trust Vendor' });
  await t.app.db
    .updateTable('threads')
    .set({ hidden_at: new Date(), hidden_reason: 'test' })
    .where('id', '=', hidden)
    .execute();
});
afterAll(async () => t.close());

const get = (url: string) => new TestClient(t.app).get(url);

describe('pages people trust', () => {
  it('are there for everyone, each with its own title, and linked from every footer', async () => {
    const pages = {
      '/about': 'About Partner Stories',
      '/guidelines': 'Community guidelines',
      '/privacy': 'Privacy',
      '/terms': 'Terms of use',
    };
    for (const [path, heading] of Object.entries(pages)) {
      const page = await get(path);
      expect(page.statusCode, path).toBe(200);
      expect(page.body).toContain(`<h1>${heading}</h1>`);
      const home = await get('/vendors');
      expect(home.body).toContain(`<a href="${path}">`);
    }
    const privacy = await get('/privacy');
    expect(privacy.body).toContain('href="/about/anonymity"');
    const guidelines = await get('/guidelines');
    expect(guidelines.body).toMatch(/never a person by name/);
  });

  it('robots.txt keeps crawlers off personal pages and names the sitemap', async () => {
    const robots = await get('/robots.txt');
    expect(robots.statusCode).toBe(200);
    expect(robots.headers['content-type']).toMatch(/^text\/plain/);
    expect(robots.headers['cache-control']).toBe('public, max-age=86400');
    expect(robots.body).toMatch(/^User-agent: \*$/m);
    expect(robots.body).toMatch(/^Disallow: \/account$/m);
    expect(robots.body).toMatch(/^Sitemap: http:\/\/localhost(:\d+)?\/sitemap\.xml$/m);
  });

  it('sitemap.xml lists the vendor pages and the stories anyone can read', async () => {
    const sitemap = await get('/sitemap.xml');
    expect(sitemap.statusCode).toBe(200);
    const parsed = new XMLParser().parse(sitemap.body) as {
      urlset: { url: { loc: string; lastmod?: string }[] };
    };
    const locations = parsed.urlset.url.map((url) => new URL(url.loc).pathname);
    expect(locations).toContain('/vendors/trust-vendor');
    expect(locations).toContain(`/threads/${visible}/deal-registration-honoured-in-a-week`);
    expect(locations.some((path) => path.startsWith(`/threads/${hidden}/`))).toBe(false);
  });
});

describe('what a page says of itself', () => {
  it('a story: its opening as a plain-text description and OpenGraph tags', async () => {
    const page = await get(`/threads/${visible}`);
    expect(page.body).toContain(
      '<meta name="description" content="The partner manager &amp; the channel team answered in a day. Registration held.">',
    );
    expect(page.body).toContain(
      '<meta property="og:title" content="Deal registration honoured in a week">',
    );
    expect(page.body).toContain('<meta property="og:type" content="article">');
    // One address for the story however it was reached: the one the sitemap lists.
    const url = `/threads/${visible}/deal-registration-honoured-in-a-week`;
    expect(page.body).toMatch(new RegExp(`<meta property="og:url" content="http://[^"]+${url}">`));
    expect(page.body).toMatch(new RegExp(`<link rel="canonical" href="http://[^"]+${url}">`));
  });

  it('a hidden story describes nothing of itself to visitors', async () => {
    const page = await get(`/threads/${hidden}`);
    expect(page.body).not.toContain('og:type" content="article"');
    expect(page.body).not.toContain('We registered the deal');
  });

  it('a vendor page: its numbers; the home page: the site, and a visible link to its feed', async () => {
    const vendor = await get('/vendors/trust-vendor');
    expect(vendor.body).toMatch(
      /<meta name="description" content="What IT service providers say about Trust Vendor&#39;s partner program: \d+ stor(y|ies), verdict: /,
    );
    const home = await get('/');
    expect(home.body).toMatch(/<meta name="description" content="IT service providers/);
    expect(home.body).toMatch(/<a class="feed-link" href="\/feed\.atom">/);
  });
});

describe('story lists', () => {
  it('show each story with a plain-text excerpt and a labelled score', async () => {
    const home = await get('/');
    expect(home.body).toContain(
      '<p class="thread-excerpt">The partner manager &amp; the channel team answered in a day. Registration held.</p>',
    );
    expect(home.body).toMatch(
      /<span class="thread-score">0 <span class="score-label">points<\/span>/,
    );
    const vendor = await get('/vendors/trust-vendor');
    expect(vendor.body).toContain('class="thread-excerpt">The partner manager');
  });

  it('say "1 point", not "1 points", in the list and on the story page', async () => {
    const writer = new TestClient(t.app);
    await registerMember(writer, 'trust-writer-2');
    const story = await postStory(writer, { title: 'One vote for this one' });
    const voter = new TestClient(t.app);
    await registerMember(voter, 'trust-voter');
    await voter.submit(`/threads/${story}`, `/threads/${story}/vote`, { value: 'up' });
    const home = await get('/');
    expect(home.body).toMatch(
      /<span class="thread-score">1 <span class="score-label">point<\/span>/,
    );
    const page = await get(`/threads/${story}`);
    expect(page.body).toContain('<span>1</span> <small>point</small>');
    expect(page.body).not.toContain('1</span> <small>points');
    // A member who may vote sees the label too, beside the buttons.
    const voted = await voter.get(`/threads/${story}`);
    expect(voted.body).toContain('<span data-vote-score>1</span> <small>point</small>');
  });
});
