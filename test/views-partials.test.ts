import { describe, expect, it } from 'vitest';
import { Eta } from 'eta';
import { shareDataWithPartials, viewsDir } from '../server/plugins/views.js';

// Partials share the page's data instead of copying it (server/plugins/views.ts): what a partial
// reads must be what Eta's own include gives it, `{ ...it, ...data }`, at any depth.

function engine(shared: boolean) {
  const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true });
  if (shared) shareDataWithPartials(eta);
  eta.loadTemplate('@time', '[<%= it.title %>|<%= it.who %>|<%= it.at %>|<%= it.label %>]');
  eta.loadTemplate(
    '@byline',
    '<%= it.who %> <%~ include("@time", { at: it.at + 1, label: "time" }) %> <%= it.label %>',
  );
  eta.loadTemplate(
    '@page',
    '<%= it.title %>: <% for (const post of it.posts) { %><%~ include("@byline", { who: post.who, at: post.at, label: "byline" }) %>; <% } %><%= it.who ?? "no one" %>',
  );
  return eta;
}

describe('partials with the page data shared', () => {
  const data = {
    title: 'Page',
    label: 'page',
    posts: [
      { who: 'ada', at: 1 },
      { who: 'bob', at: 5 },
    ],
  };

  it("read the page's data, their parent's arguments and their own, their own first", () => {
    const page = engine(true).render('@page', data);
    expect(page).toBe('Page: ada [Page|ada|2|time] byline; bob [Page|bob|6|time] byline; no one');
    expect(page).toBe(engine(false).render('@page', data));
  });

  it('leave the page data as it was', () => {
    const copy = structuredClone(data);
    engine(true).render('@page', data);
    expect(data).toEqual(copy);
  });

  it("are still found in Eta's compiled include (else the copy silently comes back)", () => {
    const eta = new Eta({ views: viewsDir });
    shareDataWithPartials(eta);
    expect(eta.compileToString('<%~ include("@x", { a: 1 }) %>', {})).toContain('__page');
  });
});
