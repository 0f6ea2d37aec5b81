import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postReply, postStory } from './helpers/content.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const writer = new TestClient(t.app);
  await registerMember(writer, 'snippet-writer');
  const story = await postStory(writer, {
    title: 'Quarterly rebate paid on time',
    sentiment: 'good',
    vendors: 'Snippet Vendor',
    body: '## Rebates\n\nThe **quarterly rebate** arrived _on time_, see [the portal](https://example.org).\n\n- no `chasing` needed',
  });
  await postReply(writer, story, '> Same here: the **rebate** came early for us.');
  const long = Array.from(
    { length: 30 },
    (_, i) => `Paragraph ${i + 1} tells of meetings, forms and calls with the channel team.`,
  );
  long.splice(15, 0, 'In the middle of it all the zeppelin bonus arrived.');
  await postStory(writer, {
    title: 'A long story with one odd word in its middle',
    vendors: 'Long Snippet Vendor',
    body: long.join('\n\n'),
  });
  await postStory(writer, {
    title: 'A deal in short',
    vendors: 'List Snippet Vendor',
    body: 'In short:\n\n- Customer: a group of private schools\n- Deal: an ERP upgrade\n- Our level: Silver',
  });
});
afterAll(async () => t.close());

const hits = (body: string) =>
  [...body.matchAll(/<li class="search-hit">([\s\S]*?)<\/li>/g)].map((m) => m[1]!);

describe('search results', () => {
  it('show snippets as plain text, without Markdown', async () => {
    const page = await new TestClient(t.app).get('/search?q=rebate');
    const found = hits(page.body);
    expect(found).toHaveLength(2);
    for (const hit of found) {
      const snippet = /<p class="snippet">([\s\S]*?)<\/p>/.exec(hit)![1]!;
      expect(snippet).not.toMatch(/\*\*|__|`|\]\(|^#|&gt;/);
      expect(snippet).toContain('<mark>rebate</mark>');
    }
    expect(page.body).toContain(
      'The quarterly <mark>rebate</mark> arrived on time, see the portal',
    );
  });

  it('say with "…" where a snippet starts or ends inside the post, and not otherwise', async () => {
    const snippetOf = async (url: string) => {
      const page = await new TestClient(t.app).get(url);
      return /<p class="snippet">([\s\S]*?)<\/p>/.exec(hits(page.body)[0]!)![1]!;
    };
    const middle = await snippetOf('/search?q=zeppelin');
    expect(middle).toMatch(/^… .*<mark>zeppelin<\/mark>.* …$/);
    const whole = await snippetOf('/search?q=ERP');
    expect(whole).not.toContain('…');
    // Without words, the newest stories' openings, cut at a word.
    const opening = await snippetOf('/search?q=&vendor=Long+Snippet+Vendor');
    expect(opening).toMatch(/^Paragraph 1 tells of meetings.* …$/);
    expect(opening).toMatch(/[a-z0-9.,] …$/);
    expect(opening.length).toBeLessThan(260);
  });

  it('keep list items apart', async () => {
    const page = await new TestClient(t.app).get('/search?q=ERP');
    expect(page.body).toContain(
      'In short: · Customer: a group of private schools · Deal: an <mark>ERP</mark> upgrade · Our level: Silver',
    );
  });

  it("give a reply no badge of its story's sentiment", async () => {
    const page = await new TestClient(t.app).get('/search?q=rebate');
    const [story, reply] = [...hits(page.body)].sort((a) => (a.includes('Reply in') ? 1 : -1));
    expect(story).toContain('class="sentiment sentiment-good"');
    expect(reply).toContain('Reply in');
    expect(reply).not.toContain('class="sentiment');
  });
});
