import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';
import {
  expectedAggregates,
  maintainedAggregates,
  rebuildAggregates,
} from '../server/reputation/recompute.js';

// Issue 14, "Promised versus delivered": what each tier of a vendor's program promises, beside
// what partners of that tier say in their stories, with numbers only where 3 members stand
// behind a cell.

let t: TestApp;
let moderator: TestClient;
beforeAll(async () => {
  t = await createTestApp();
  moderator = new TestClient(t.app);
  await registerMember(moderator, 'pd-moderator');
  await updateRole(t.app.db, 'pd-moderator', 'moderator');
});
afterAll(async () => t.close());

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

/** The promise table's row for an area, as text. */
function row(html: string, area: string) {
  const table = /<table class="promise-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const found = [...table.matchAll(/<tr>[\s\S]*?<\/tr>/g)]
    .map((match) => text(match[0]).trim())
    .find((line) => line.startsWith(area));
  return found ?? null;
}

async function member(name: string) {
  const client = new TestClient(t.app);
  await registerMember(client, name);
  return client;
}

it('sets each tier promise against what partners of that tier report, from 3 members on', async () => {
  const vendor = 'Promise Works';
  const tellers = await Promise.all(['pd-a', 'pd-b', 'pd-c', 'pd-d'].map((name) => member(name)));
  // The vendor exists once a story names it; its tiers are described before partners rate.
  const opener = await member('pd-opener');
  await postStory(opener, { vendors: vendor, title: 'First word on Promise Works' });
  await moderator.get('/vendors/promise-works/edit');
  const saved = await moderator.post('/vendors/promise-works/edit', {
    website: 'https://promise.example',
    category: 'networking',
    program: 'Promise Partner Network',
    note: '',
    tier_1_name: 'Silver',
    tier_1_order: '',
    tier_1_presales: 'not-promised',
    tier_2_name: 'Gold',
    tier_2_order: '',
    tier_2_presales: 'promised',
    tier_2_demos: 'promised',
  });
  expect(saved.statusCode, saved.body.slice(0, 1500)).toBe(303);

  // Three Gold partners rate pre-sales: two say not delivered. Two Silver partners: too few.
  await postStory(tellers[0]!, { vendors: vendor, tier: 'Gold', area_presales: 'bad' });
  await postStory(tellers[1]!, { vendors: vendor, tier: 'gold partner', area_presales: 'bad' });
  await postStory(tellers[2]!, {
    vendors: vendor,
    tier: 'GOLD',
    area_presales: 'good',
    anonymous: true,
  });
  await postStory(tellers[3]!, { vendors: vendor, tier: 'Silver', area_presales: 'bad' });
  const page = await new TestClient(t.app).get('/vendors/promise-works');
  expect(page.statusCode).toBe(200);
  // Who the vendor is, at the top.
  expect(text(page.body)).toContain('Networking vendor · program: Promise Partner Network');
  expect(row(page.body, 'Pre-sales support')).toBe(
    'Pre-sales support Not promised too few reports Promised 2 of 3 Gold partners say not delivered',
  );
  // A promise most reporting partners say was broken stands out.
  expect(page.body).toMatch(/class="promise-promised promise-broken">Promised/);
  expect(row(page.body, 'Customer demos')).toBe(
    'Customer demos Promise unknown too few reports Promised too few reports',
  );
  // The table is a focusable scrolling region, named by its heading, for keyboards and phones.
  expect(page.body).toContain(
    '<div class="table-scroll" role="region" aria-labelledby="promises-heading" tabindex="0">',
  );
  expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));

  // A third Silver partner makes that cell speak; a Gold partner's later story replaces theirs.
  const fifth = await member('pd-e');
  await postStory(fifth, { vendors: vendor, tier: 'Silver', area_presales: 'good' });
  await postStory(tellers[2]!, { vendors: vendor, tier: 'Silver', area_presales: 'good' });
  await postStory(tellers[0]!, {
    vendors: vendor,
    tier: 'Gold',
    area_presales: 'good',
    title: 'Gold, second time round',
  });
  const after = await new TestClient(t.app).get('/vendors/promise-works');
  expect(row(after.body, 'Pre-sales support')).toBe(
    'Pre-sales support Not promised 1 of 3 Silver partners say not delivered Promised 1 of 3 Gold partners say not delivered',
  );
  expect(await maintainedAggregates(t.app.db)).toEqual(await expectedAggregates(t.app.db));
});

it('shows no promise table for a vendor whose tiers nobody described', async () => {
  const teller = await member('pd-plain');
  await postStory(teller, { vendors: 'Plain Promise Vendor', tier: 'Gold', area_presales: 'bad' });
  const page = await new TestClient(t.app).get('/vendors/plain-promise-vendor');
  expect(page.body).not.toContain('Promised versus delivered');
  expect(page.body).toContain(
    "Nothing is recorded about Plain Promise Vendor's partner program yet.",
  );
});

it('gives a vendor with no stories counted a short empty state, not empty charts', async () => {
  const teller = await member('pd-gone');
  const id = await postStory(teller, { vendors: 'Gone Vendor', title: 'Soon deleted story' });
  await teller.get(`/threads/${id}/delete`);
  await teller.post(`/threads/${id}/delete`, {});
  const page = await new TestClient(t.app).get('/vendors/gone-vendor');
  expect(text(page.body)).toContain('No stories about Gone Vendor count yet.');
  expect(page.body).not.toContain('trend-chart');
  expect(page.body).not.toContain('area-bars');
});

it('lists program changes with the score before and after, marks them on the trend, and logs them', async () => {
  const vendor = 'Changing Program Co';
  const tellers = await Promise.all(['pc-a', 'pc-b', 'pc-c', 'pc-d'].map((name) => member(name)));
  const first = await postStory(tellers[0]!, { vendors: vendor, sentiment: 'good' });
  await postStory(tellers[1]!, { vendors: vendor, sentiment: 'good' });
  await postStory(tellers[2]!, { vendors: vendor, sentiment: 'good' });
  await postStory(tellers[3]!, { vendors: vendor, sentiment: 'good' });
  // Four good stories two months ago, none since: the change came in between.
  const past = new Date();
  past.setUTCMonth(past.getUTCMonth() - 2, 10);
  await sql`update threads set created_at = ${past} where id >= ${first}`.execute(t.app.db);
  await rebuildAggregates(t.app.db);
  const changedOn = new Date();
  changedOn.setUTCMonth(changedOn.getUTCMonth() - 1, 3);
  const date = changedOn.toISOString().slice(0, 10);

  // A plain member may not; bad input is refused with the input kept.
  const plain = await member('pc-plain');
  expect((await plain.get('/vendors/changing-program-co/changes/new')).statusCode).toBe(403);
  await moderator.get('/vendors/changing-program-co/changes/new');
  const refused = await moderator.post('/vendors/changing-program-co/changes', {
    date: '2026-02-30',
    summary: 'Gold tier loses demo units',
    source: 'javascript:alert(1)',
  });
  expect(refused.statusCode).toBe(400);
  expect(refused.body).toContain('Give the date of the change as YYYY-MM-DD');
  expect(refused.body).toContain('Give the source as a web address');
  expect(refused.body).toContain('value="Gold tier loses demo units"');

  const saved = await moderator.post('/vendors/changing-program-co/changes', {
    date,
    summary: 'Gold tier loses demo units',
    source: 'https://changing.example/partner-news',
  });
  expect(saved.statusCode, saved.body.slice(0, 1500)).toBe(303);
  const page = await new TestClient(t.app).get('/vendors/changing-program-co');
  const shown = text(page.body);
  expect(shown).toContain(
    `${date} : Gold tier loses demo units ( source ) · recorded by a moderator`,
  );
  expect(shown).toContain(
    'Score in the 6 months before: 51 / 100 (4 stories); in the 6 months from then: too few stories (0 stories)',
  );
  expect(page.body).toMatch(
    new RegExp(
      `<line class="trend-change"[^>]*><title>Program change, ${date}: Gold tier loses demo units</title>`,
    ),
  );
  const log = await moderator.get('/mod/log?action=record-program-change');
  expect(text(log.body)).toContain(`${date}: Gold tier loses demo units`);
});

it('the directory shows each verdict with its bar, filters by category, and explains its counts', async () => {
  const teller = await member('dir-teller');
  await postStory(teller, { vendors: 'Category Cloud Co', sentiment: 'good' });
  await postStory(teller, { vendors: 'Category Other Co', sentiment: 'bad' });
  await moderator.get('/vendors/category-cloud-co/edit');
  const saved = await moderator.post('/vendors/category-cloud-co/edit', {
    website: '',
    category: 'cloud',
    program: '',
    note: '',
  });
  expect(saved.statusCode, saved.body.slice(0, 1500)).toBe(303);
  const cloud = await new TestClient(t.app).get('/vendors?category=cloud');
  expect(cloud.statusCode).toBe(200);
  expect(cloud.body).toContain('href="/vendors/category-cloud-co"');
  expect(cloud.body).not.toContain('href="/vendors/category-other-co"');
  expect(cloud.body).toContain('<option value="cloud" selected>Cloud</option>');
  expect(text(cloud.body)).toContain(
    'Category Cloud Co not enough stories yet 1 Not enough stories yet 1 good · 0 mixed · 0 bad',
  );
  expect(text(cloud.body)).toContain('"Stories" counts every story');
  expect((await new TestClient(t.app).get('/vendors?category=furniture')).statusCode).toBe(400);
});
