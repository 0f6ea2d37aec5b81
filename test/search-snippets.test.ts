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

  it("give a reply no badge of its story's sentiment", async () => {
    const page = await new TestClient(t.app).get('/search?q=rebate');
    const [story, reply] = [...hits(page.body)].sort((a) => (a.includes('Reply in') ? 1 : -1));
    expect(story).toContain('class="sentiment sentiment-good"');
    expect(reply).toContain('Reply in');
    expect(reply).not.toContain('class="sentiment');
  });
});
