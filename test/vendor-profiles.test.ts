import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { TestClient, registerMember } from './helpers/client.js';
import { postStory } from './helpers/content.js';
import { updateRole } from '../server/accounts/queries.js';
import { findVendorProfile, tierCoreKey } from '../server/vendors/profile.js';

// Issue 14, "The program": a vendor's profile (website, category, program name, tiers in order
// and what each promises per support area), edited by moderators and the vendor's own
// representatives, every change logged and kept as a revision; stories' tiers matched to the
// vendor's tiers. Every test names vendors of its own.

let t: TestApp;
let admin: TestClient;
let moderator: TestClient;
let member: TestClient;
let poster: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  admin = await newMember('vp-admin');
  moderator = await newMember('vp-moderator');
  member = await newMember('vp-member');
  poster = await newMember('vp-poster');
  await updateRole(t.app.db, 'vp-admin', 'admin');
  await updateRole(t.app.db, 'vp-moderator', 'moderator');
});
afterAll(async () => t.close());

// ---------------------------------------------------------------------------------------------
// Helpers

async function newMember(username: string) {
  const client = new TestClient(t.app);
  await registerMember(client, username);
  return client;
}

/** A vendor of the test's own, created by a story about it; returns its slug and id. */
async function newVendor(name: string) {
  await postStory(poster, { vendors: name, title: `A story about ${name}` });
  return t.app.db
    .selectFrom('vendors')
    .select(['id', 'slug'])
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
}

async function grant(slug: string, username: string) {
  await admin.get(`/mod/vendors/${slug}`);
  const response = await admin.post(`/mod/vendors/${slug}/representatives`, {
    username,
    reason: 'Checked with the partner team',
    action: 'grant',
  });
  expect(response.statusCode, response.body.slice(0, 2000)).toBe(303);
}

interface TierInput {
  name: string;
  order?: string;
  promises?: Record<string, string>;
}

/** The edit form's fields, as the page sends them (rows past the given tiers left empty). */
function profileForm(
  fields: { website?: string; category?: string; program?: string; note?: string },
  tiers: TierInput[] = [],
) {
  const form: Record<string, string> = {
    website: fields.website ?? '',
    category: fields.category ?? '',
    program: fields.program ?? '',
    note: fields.note ?? '',
  };
  tiers.forEach((tier, index) => {
    form[`tier_${index + 1}_name`] = tier.name;
    form[`tier_${index + 1}_order`] = tier.order ?? '';
    for (const [area, promise] of Object.entries(tier.promises ?? {}))
      form[`tier_${index + 1}_${area}`] = promise;
  });
  return form;
}

async function edit(client: TestClient, slug: string, form: Record<string, string>) {
  await client.get(`/vendors/${slug}/edit`);
  return client.post(`/vendors/${slug}/edit`, form);
}

async function editOk(client: TestClient, slug: string, form: Record<string, string>) {
  const response = await edit(client, slug, form);
  expect(response.statusCode, response.body.slice(0, 3000)).toBe(303);
  expect(response.headers.location).toBe(`/vendors/${slug}#profile`);
}

const revisions = (vendorId: number) =>
  t.app.db
    .selectFrom('vendor_profile_revisions')
    .select(['editor', 'as_representative', 'profile'])
    .where('vendor_id', '=', vendorId)
    .orderBy('id')
    .execute();

const logEntries = (slug: string) =>
  t.app.db
    .selectFrom('moderation_log')
    .select(['moderator', 'action', 'vendor', 'detail', 'reason'])
    .where('action', '=', 'edit-vendor-profile')
    .where('vendor', 'like', `%(${slug})`)
    .orderBy('id')
    .execute();

const storyTier = (id: number) =>
  t.app.db
    .selectFrom('threads')
    .select(['tier', 'tier_key'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const LADDER: TierInput[] = [
  // Rows out of order on purpose: the place field orders them.
  { name: 'Gold Partner', order: '3', promises: { presales: 'promised', discounts: 'promised' } },
  { name: 'Registered', order: '1', promises: { discounts: 'not-promised' } },
  { name: 'Platinum', order: '4', promises: { presales: 'promised', mdf: 'promised' } },
  { name: 'Silver', order: '2' },
];

// ---------------------------------------------------------------------------------------------

describe('who may edit a profile', () => {
  let vendor: { id: number; slug: string };
  beforeAll(async () => {
    vendor = await newVendor('Gatekept Systems');
    await newVendor('Elsewhere Networks');
    await newMember('vp-rep-gatekept');
    await newMember('vp-rep-elsewhere');
    await grant(vendor.slug, 'vp-rep-gatekept');
    await grant('elsewhere-networks', 'vp-rep-elsewhere');
  });

  it('sends a visitor to log in', async () => {
    const visitor = new TestClient(t.app);
    const page = await visitor.get(`/vendors/${vendor.slug}/edit`);
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(
      `/login?next=${encodeURIComponent(`/vendors/${vendor.slug}/edit`)}`,
    );
    await visitor.get('/login');
    const post = await visitor.post(`/vendors/${vendor.slug}/edit`, profileForm({ program: 'X' }));
    expect(post.statusCode).toBe(303);
    expect(post.headers.location).toMatch(/^\/login/);
  });

  it('refuses a plain member and a representative of another vendor with a 403', async () => {
    const other = await newMember('vp-another-member');
    const elsewhere = new TestClient(t.app);
    await elsewhere.submit('/login', '/login', {
      username: 'vp-rep-elsewhere',
      password: 'correct horse battery',
    });
    for (const client of [member, elsewhere, other]) {
      const page = await client.get(`/vendors/${vendor.slug}/edit`);
      expect(page.statusCode).toBe(403);
      expect(page.body).toContain(
        'Only moderators and the representatives of Gatekept Systems may edit its profile.',
      );
      await client.get('/');
      const post = await client.post(
        `/vendors/${vendor.slug}/edit`,
        profileForm({ program: 'Hijacked' }),
      );
      expect(post.statusCode).toBe(403);
    }
    expect((await findVendorProfile(t.app.db, vendor.id)).empty).toBe(true);
    expect(await revisions(vendor.id)).toEqual([]);
  });

  it('refuses a suspended member, the vendor representative included', async () => {
    const rep = new TestClient(t.app);
    await rep.submit('/login', '/login', {
      username: 'vp-rep-gatekept',
      password: 'correct horse battery',
    });
    expect((await rep.get(`/vendors/${vendor.slug}/edit`)).statusCode).toBe(200);
    const user = await t.app.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'vp-rep-gatekept')
      .executeTakeFirstOrThrow();
    const subject = t.app.anonymity.suspensionSubject(user.id);
    await t.app.db
      .insertInto('suspensions')
      .values({ subject, until: new Date(Date.now() + 86_400_000) })
      .execute();
    const page = await rep.get(`/vendors/${vendor.slug}/edit`);
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('suspended');
    await rep.get('/');
    const post = await rep.post(`/vendors/${vendor.slug}/edit`, profileForm({ program: 'Nope' }));
    expect(post.statusCode).toBe(403);
    expect(await revisions(vendor.id)).toEqual([]);
  });

  it('refuses a form without its CSRF token', async () => {
    await moderator.get(`/vendors/${vendor.slug}/edit`);
    const forged = await moderator.post(`/vendors/${vendor.slug}/edit`, {
      _csrf: null,
      ...profileForm({ program: 'Forged' }),
    });
    expect(forged.statusCode).toBe(403);
    expect(await revisions(vendor.id)).toEqual([]);
  });

  it('answers an unknown vendor with 404', async () => {
    expect((await moderator.get('/vendors/no-such-vendor-here/edit')).statusCode).toBe(404);
  });
});

describe('editing a profile', () => {
  let vendor: { id: number; slug: string };
  let rep: TestClient;
  beforeAll(async () => {
    vendor = await newVendor('Ladder Computing');
    rep = await newMember('vp-rep-ladder');
    await grant(vendor.slug, 'vp-rep-ladder');
  });

  it("a moderator's edit is saved, logged and kept as a revision of the empty profile", async () => {
    const page = await moderator.get(`/vendors/${vendor.slug}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="tier_4_presales"');
    await editOk(
      moderator,
      vendor.slug,
      profileForm(
        {
          website: 'https://ladder.example.com/partners',
          category: 'hardware',
          program: 'Ladder Partner Network',
        },
        LADDER,
      ),
    );
    const profile = await findVendorProfile(t.app.db, vendor.id);
    expect(profile).toMatchObject({
      website: 'https://ladder.example.com/partners',
      category: 'hardware',
      categoryLabel: 'Hardware',
      programName: 'Ladder Partner Network',
      empty: false,
    });
    expect(profile.tiers.map((tier) => tier.label)).toEqual([
      'Registered',
      'Silver',
      'Gold Partner',
      'Platinum',
    ]);
    expect(profile.tiers[2]).toMatchObject({
      key: 'goldpartner',
      promises: { presales: 'promised', discounts: 'promised' },
      promised: ['Pre-sales support', 'Discounts and special bids'],
    });
    expect(profile.tiers[0]!.promises).toEqual({ discounts: 'not-promised' });

    expect(await revisions(vendor.id)).toEqual([
      {
        editor: 'vp-moderator',
        as_representative: false,
        profile: { website: null, category: null, programName: null, tiers: [] },
      },
    ]);
    const [entry, ...more] = await logEntries(vendor.slug);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      moderator: 'vp-moderator',
      vendor: 'Ladder Computing (ladder-computing)',
      detail: null,
    });
    expect(entry!.reason).toContain('website');
    expect(entry!.reason).toContain('Gold Partner added');
  });

  it('shows the tiers in order, and the website as a nofollow link', async () => {
    const page = await moderator.get(`/vendors/${vendor.slug}/edit`);
    const shown = page.body.slice(page.body.indexOf('class="profile-tiers"'));
    const at = (label: string) => shown.indexOf(`<strong>${label}</strong>`);
    expect(at('Registered')).toBeGreaterThan(0);
    expect(at('Registered')).toBeLessThan(at('Silver'));
    expect(at('Silver')).toBeLessThan(at('Gold Partner'));
    expect(at('Gold Partner')).toBeLessThan(at('Platinum'));
    expect(page.body).toContain(
      '<a href="https://ladder.example.com/partners" rel="nofollow ugc noopener">',
    );
    expect(page.body).toContain('Ladder Partner Network');
    // The form holds the tiers in their order, with their promises chosen.
    expect(page.body).toMatch(/id="tier_3_name"[^>]*value="Gold Partner"/);
    expect(page.body).toMatch(/id="tier_3_presales"[\s\S]*?value="promised" selected/);
  });

  it("the representative's edit is marked as theirs, and keeps the moderator's as a revision", async () => {
    const tiers = [...LADDER.filter((tier) => tier.name !== 'Silver'), { name: 'Diamond' }];
    await editOk(
      rep,
      vendor.slug,
      profileForm(
        {
          website: 'https://ladder.example.com/partners',
          category: 'hardware',
          program: 'Ladder Partner Network',
          note: 'Silver was retired this year',
        },
        tiers,
      ),
    );
    const kept = await revisions(vendor.id);
    expect(kept).toHaveLength(2);
    expect(kept[1]).toMatchObject({ editor: 'vp-rep-ladder', as_representative: true });
    const previous = kept[1]!.profile as { tiers: { label: string }[] };
    expect(previous.tiers.map((tier) => tier.label)).toEqual([
      'Registered',
      'Silver',
      'Gold Partner',
      'Platinum',
    ]);
    const entries = await logEntries(vendor.slug);
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({
      moderator: 'vp-rep-ladder',
      detail: "by the vendor's representative",
    });
    expect(entries[1]!.reason).toContain('Silver was retired this year');
    expect(entries[1]!.reason).toContain('Silver removed');
    expect(entries[1]!.reason).toContain('Diamond added');
    const profile = await findVendorProfile(t.app.db, vendor.id);
    expect(profile.tiers.map((tier) => tier.label)).toEqual([
      'Registered',
      'Gold Partner',
      'Platinum',
      'Diamond',
    ]);

    const log = await moderator.get('/mod/log?action=edit-vendor-profile');
    expect(log.statusCode).toBe(200);
    expect(log.body).toContain('<option value="edit-vendor-profile" selected>');
    expect(log.body).toContain('edit-vendor-profile (by the vendor&#39;s representative)');
  });

  it('writes nothing when nothing changed', async () => {
    const before = (await revisions(vendor.id)).length;
    const page = await moderator.get(`/vendors/${vendor.slug}/edit`);
    // The form as the page fills it in, sent back unchanged.
    const form: Record<string, string> = {};
    for (const match of page.body.matchAll(/<input[^>]*name="([a-z0-9_]+)"[^>]*value="([^"]*)"/g))
      if (match[1] !== '_csrf') form[match[1]!] = match[2]!;
    for (const match of page.body.matchAll(/<select[^>]*name="([a-z0-9_]+)"[\s\S]*?<\/select>/g)) {
      const selected = /value="([^"]*)" selected/.exec(match[0]);
      if (selected) form[match[1]!] = selected[1]!;
    }
    expect(form.tier_1_name).toBe('Registered');
    const response = await moderator.post(`/vendors/${vendor.slug}/edit`, form);
    expect(response.statusCode).toBe(303);
    expect(await revisions(vendor.id)).toHaveLength(before);
    expect(await logEntries(vendor.slug)).toHaveLength(before);
  });

  it('reads the profile in one query', async () => {
    const before = t.app.database.queryCount();
    const profile = await findVendorProfile(t.app.db, vendor.id);
    expect(t.app.database.queryCount() - before).toBe(1);
    expect(profile.tiers).toHaveLength(4);
  });
});

describe('bad input', () => {
  let vendor: { id: number; slug: string };
  beforeAll(async () => {
    vendor = await newVendor('Refusal Labs');
  });

  async function refused(form: Record<string, string>) {
    const response = await edit(moderator, vendor.slug, form);
    expect(response.statusCode, response.body.slice(0, 2000)).toBe(400);
    expect(response.body).toMatch(/aria-invalid="true"/);
    expect(await revisions(vendor.id)).toEqual([]);
    return response.body;
  }

  it.each([
    ['refusal.example.com', 'starting with https://'],
    ['javascript:alert(1)', 'starting with https://'],
    ['JavaScript:alert(document.cookie)//https://x.example', 'starting with https://'],
    ['ftp://refusal.example.com', 'starting with https://'],
    ['data:text/html,<b>x</b>', 'starting with https://'],
    ['https://user:secret@refusal.example.com', 'without a user name or password'],
    ['https://refusal example.com', 'no spaces'],
    ['https://', 'not a web address'],
    ['https://localhost', 'full address'],
  ])('refuses the website %s, with the input kept', async (website, message) => {
    const body = await refused(profileForm({ website, program: 'Kept Program' }));
    expect(body).toContain(message);
    expect(body).toContain('value="Kept Program"');
    expect(body).toMatch(/id="website"[^>]*aria-invalid="true"/);
    // The address comes back escaped in the field, never as a link.
    expect(body).not.toContain(`href="${website}"`);
  });

  it('refuses an unknown category and too long names, each with its message', async () => {
    const longProgram = 'P'.repeat(81);
    const longTier = 'T'.repeat(41);
    const body = await refused(
      profileForm(
        { website: 'https://refusal.example.com', category: 'food', program: longProgram },
        [{ name: 'Silver' }, { name: longTier }],
      ),
    );
    expect(body).toContain('Choose one of: Hardware, Software');
    expect(body).toContain('Keep the program&#39;s name to 80 characters.');
    expect(body).toContain('Keep a tier&#39;s name to 40 characters.');
    expect(body).toContain(`value="${longProgram}"`);
    expect(body).toContain(`value="${longTier}"`);
    expect(body).toContain('value="https://refusal.example.com"');
    expect(body).toMatch(/id="tier_1_name"[^>]*value="Silver"/);
  });

  it('refuses two names of one tier and a place that is not a number', async () => {
    const body = await refused(
      profileForm({}, [{ name: 'Gold' }, { name: 'gold partner', order: 'x' }]),
    );
    expect(body).toContain('name one tier');
    expect(body).toMatch(/id="tier_2_name"[^>]*aria-invalid="true"/);
    expect(body).toContain('Give the place as a whole number from 1 to 99.');
  });

  it('refuses a promise that is not on the list, and a field far too long', async () => {
    const body = await refused(
      profileForm({ program: 'x'.repeat(2000) }, [
        { name: 'Gold', promises: { presales: 'maybe' } },
      ]),
    );
    expect(body).toContain('Choose promised, not promised or unknown.');
    expect(body).toContain('Keep the program&#39;s name to 80 characters.');
  });
});

describe("stories' tiers", () => {
  let tiered: { id: number; slug: string };
  beforeAll(async () => {
    tiered = await newVendor('Tiered Cloudworks');
    await editOk(
      moderator,
      tiered.slug,
      profileForm({}, [{ name: 'Silver' }, { name: 'Gold Partner' }, { name: 'Premier Tier' }]),
    );
  });

  it('matches on the key of the tier, with or without a trailing "partner" or "tier"', () => {
    expect(tierCoreKey('Gold Partner')).toBe('gold');
    expect(tierCoreKey('gold')).toBe('gold');
    expect(tierCoreKey('GOLD tier')).toBe('gold');
    expect(tierCoreKey('Gold-Partners')).toBe('gold');
    expect(tierCoreKey('Gold Plus')).toBe('goldplus');
    expect(tierCoreKey('Partner')).toBe('partner');
  });

  it.each([
    ['gold', 'Gold Partner', 'goldpartner'],
    ['GOLD ', 'Gold Partner', 'goldpartner'],
    ['Gold partner', 'Gold Partner', 'goldpartner'],
    ['gold tier', 'Gold Partner', 'goldpartner'],
    ['premier', 'Premier Tier', 'premiertier'],
    ['silver partner', 'Silver', 'silver'],
  ])('stores "%s" under the vendor\'s tier %s', async (given, label, key) => {
    const id = await postStory(member, { vendors: 'Tiered Cloudworks', tier: given });
    expect(await storyTier(id)).toEqual({ tier: label, tier_key: key });
  });

  it('keeps free text that names none of its tiers', async () => {
    const id = await postStory(member, { vendors: 'Tiered Cloudworks', tier: 'Gold Plus' });
    expect(await storyTier(id)).toEqual({ tier: 'Gold Plus', tier_key: 'goldplus' });
  });

  it('matches through any of the story vendors, and not for a vendor without tiers', async () => {
    await newVendor('Untiered Widgets');
    const both = await postStory(member, {
      vendors: 'Untiered Widgets, Tiered Cloudworks',
      tier: 'gold',
    });
    expect(await storyTier(both)).toEqual({ tier: 'Gold Partner', tier_key: 'goldpartner' });
    const plain = await postStory(member, { vendors: 'Untiered Widgets', tier: 'platinum tier' });
    expect(await storyTier(plain)).toEqual({ tier: 'Platinum Tier', tier_key: 'platinumtier' });
  });

  it("matches an edited story's tier too", async () => {
    const id = await postStory(member, { vendors: 'Tiered Cloudworks', tier: 'bronze' });
    expect(await storyTier(id)).toEqual({ tier: 'Bronze', tier_key: 'bronze' });
    await member.get(`/threads/${id}/edit`);
    const response = await member.post(`/threads/${id}/edit`, {
      title: 'An edited tiered story',
      body: 'We were gold partners after all.',
      sentiment: 'mixed',
      tier: 'gold',
      action: 'post',
    });
    expect(response.statusCode).toBe(303);
    expect(await storyTier(id)).toEqual({ tier: 'Gold Partner', tier_key: 'goldpartner' });
  });

  it("suggests the named vendor's tiers first on the story form", async () => {
    const page = await member.get(`/threads/new?vendor=${tiered.slug}`);
    const list = /<datalist id="tier-suggestions">([\s\S]*?)<\/datalist>/.exec(page.body)![1]!;
    const values = [...list.matchAll(/value="([^"]*)"/g)].map((match) => match[1]);
    expect(values.slice(0, 3)).toEqual(['Silver', 'Gold Partner', 'Premier Tier']);
    expect(values.filter((value) => value === 'Gold Partner')).toHaveLength(1);
  });
});
