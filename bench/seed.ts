import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/db/schema.js';
import { rebuildAggregates } from '../server/reputation/recompute.js';
import { hotRankSql } from '../server/threads/ranking.js';
import { copyToVendorRows } from '../server/reputation/story-standing.js';

// A generated, realistic data set for the benchmark, made in SQL (generate_series) so that
// 100,000 stories and 2,000,000 votes load in about a minute. Clearly fictional names only.

export interface SeedSize {
  users: number;
  vendors: number;
  threads: number;
  replies: number;
  votes: number;
}

export const FULL_SIZE: SeedSize = {
  users: 20_000,
  vendors: 2_000,
  threads: 100_000,
  replies: 500_000,
  votes: 2_000_000,
};

export function scaled(scale: number): SeedSize {
  const size = (n: number) => Math.max(10, Math.round(n * scale));
  return {
    users: size(FULL_SIZE.users),
    vendors: size(FULL_SIZE.vendors),
    threads: size(FULL_SIZE.threads),
    replies: size(FULL_SIZE.replies),
    votes: size(FULL_SIZE.votes),
  };
}

/** Threads 1..BUSY_THREADS carry 60 replies each: the benchmark's 50-reply thread page. */
const BUSY_THREADS = 1000;

type Step = [label: string, run: () => Promise<unknown>];

export async function seed(db: Kysely<DB>, size: SeedSize, progress: (line: string) => void) {
  const steps: Step[] = [
    [
      'members',
      () =>
        sql`
      insert into users (username, password_hash, created_at)
      select 'member' || i, 'x-not-a-login', now() - (i % 900) * interval '1 day'
      from generate_series(1, ${size.users}) i`.execute(db),
    ],
    [
      'vendors',
      () =>
        sql`
      insert into vendors (name, slug)
      select 'Vendor ' || i || ' Systems', 'vendor-' || i || '-systems' from generate_series(1, ${size.vendors}) i`.execute(
          db,
        ),
    ],
    [
      'vendor names',
      () =>
        sql`
      insert into vendor_names (match_key, vendor_id, name)
      select 'vendor' || id || 'systems', id, name from vendors`.execute(db),
    ],
    [
      'partner tiers',
      () =>
        sql`
      insert into partner_tiers (tier_key, label, uses)
      values ('registered', 'Registered', 0), ('silver', 'Silver', 0), ('gold', 'Gold', 0), ('premier', 'Premier', 0)`.execute(
          db,
        ),
    ],
    [
      'stories',
      () =>
        sql`
      insert into threads (title, slug, body_source, body_html, excerpt, sentiment, tier, tier_key,
                           anonymous, author_id, author_tag, author_box, pseudonym, created_at)
      select 'Story ' || i || ': ' || (array['no call back on a big deal', 'great pre-sales help',
               'special bid refused again', 'demo unit arrived in a week', 'deal registration ignored'])[1 + i % 5],
             'story-' || i,
             'We are partners and this happened, case ' || i || '.',
             '<p>We are partners and this happened, case ' || i || '.</p>',
             'We are partners and this happened, case ' || i || '.',
             (array['good', 'mixed', 'bad', 'bad'])[1 + (i * 7) % 4],
             (array[null, 'Registered', 'Silver', 'Gold', 'Premier'])[1 + i % 5],
             (array[null, 'registered', 'silver', 'gold', 'premier'])[1 + i % 5],
             i % 3 = 0,
             case when i % 3 = 0 then null else 1 + (i * 13) % ${size.users} end,
             case when i % 3 = 0 then md5('tag' || i) end,
             case when i % 3 = 0 then md5('box' || i) end,
             case when i % 3 = 0 then upper(substr(md5('p' || i), 1, 4)) end,
             now() - ((${size.threads} - i) * interval '1 minute') * (730.0 * 24 * 60 / ${size.threads})
      from generate_series(1, ${size.threads}) i`.execute(db),
    ],
    [
      'story vendors',
      () =>
        sql`
      insert into thread_vendors (thread_id, vendor_id, position, voice_key)
      select t.id, v.vendor_id, v.position, case when t.anonymous then null else md5(v.vendor_id || ':' || t.author_id) end
      from threads t
      cross join lateral (
        select case when t.id % 20 = 0 then 1 else 1 + (t.id::bigint * 7919) % ${size.vendors} end as first,
               1 + (t.id::bigint * 104729) % ${size.vendors} as second
      ) p
      cross join lateral (
        select p.first as vendor_id, 0 as position
        union all
        select p.second, 1 where t.id % 4 = 0 and p.second <> p.first
      ) v`.execute(db),
    ],
    [
      'vendor tags of stories',
      () =>
        sql`
      update threads t set vendor_tags = v.tags from (
        select tv.thread_id, jsonb_agg(jsonb_build_object('id', v.id, 'name', v.name, 'slug', v.slug) order by tv.position) tags
        from thread_vendors tv join vendors v on v.id = tv.vendor_id group by tv.thread_id) v
      where v.thread_id = t.id`.execute(db),
    ],
    [
      'area ratings',
      () =>
        sql`
      insert into thread_areas (thread_id, area, rating)
      select t.id, a.area, case when (t.id + a.n) % 3 = 0 then 'good' else 'bad' end
      from threads t
      cross join lateral (select * from unnest(array['presales', 'beta', 'demos', 'discounts', 'presentations',
        'education', 'events', 'dealreg', 'mdf']) with ordinality as a(area, n)) a
      where (t.id + a.n) % 4 = 0`.execute(db),
    ],
    [
      'replies',
      () =>
        sql`
      insert into replies (thread_id, body_source, body_html, anonymous, author_id, author_tag, author_box, pseudonym, created_at)
      select thread_id, 'Same experience here, reply ' || i || '.', '<p>Same experience here, reply ' || i || '.</p>',
             i % 4 = 0,
             case when i % 4 = 0 then null else 1 + (i * 31) % ${size.users} end,
             case when i % 4 = 0 then md5('rtag' || i) end,
             case when i % 4 = 0 then md5('rbox' || i) end,
             case when i % 4 = 0 then upper(substr(md5('rp' || i), 1, 4)) end,
             now() - (i % 1000) * interval '1 minute'
      from (
        select i, case when i <= ${Math.min(BUSY_THREADS * 60, size.replies)}
                       then 1 + (i - 1) / 60
                       else 1 + (i::bigint * 48271) % ${size.threads} end as thread_id
        from generate_series(1, ${size.replies}) i
      ) r
      order by thread_id, i`.execute(db),
    ],
    [
      'reply counts',
      () =>
        sql`
      update threads t set reply_count = r.n
      from (select thread_id, count(*)::int n from replies group by thread_id) r where r.thread_id = t.id`.execute(
          db,
        ),
    ],
    [
      'story votes',
      () =>
        sql`
      insert into thread_votes (post_id, user_id, value)
      select 1 + (i - 1) % ${size.threads}, 1 + ((i - 1) / ${size.threads}) % ${size.users},
             case when (i * 17) % 5 = 0 then -1 else 1 end
      from generate_series(1, ${Math.round(size.votes * 0.75)}) i
      on conflict do nothing`.execute(db),
    ],
    [
      'reply votes',
      () =>
        sql`
      insert into reply_votes (post_id, user_id, value)
      select 1 + (i - 1) % ${size.replies}, 1 + ((i - 1) / ${size.replies}) % ${size.users},
             case when (i * 17) % 5 = 0 then -1 else 1 end
      from generate_series(1, ${Math.round(size.votes * 0.25)}) i
      on conflict do nothing`.execute(db),
    ],
    [
      'scores and hot ranks',
      () =>
        sql`
      update threads t set score = v.s,
        hot_rank = ${hotRankSql(sql<number>`v.s`, sql<Date>`t.created_at`)}
      from (select post_id, sum(value)::int s from thread_votes group by post_id) v where v.post_id = t.id`.execute(
          db,
        ),
    ],
    ['vendor copies of scores', () => copyToVendorRows(db, 'all')],
    [
      'reply scores',
      () =>
        sql`
      update replies r set score = v.s
      from (select post_id, sum(value)::int s from reply_votes group by post_id) v where v.post_id = r.id`.execute(
          db,
        ),
    ],
    [
      'vendor story counts',
      () =>
        sql`
      update vendors v set story_count = c.n
      from (select vendor_id, count(*)::int n from thread_vendors group by vendor_id) c where c.vendor_id = v.id`.execute(
          db,
        ),
    ],
    ['reputation aggregates', () => rebuildAggregates(db)],
    // Migration 0007's note that old anonymous posts await ANON_SECRET's upgrade: the seed writes
    // them in the new shape, with made-up sealed authors no secret opens, so there is nothing to
    // upgrade (and the upgrade would take them for another secret's and refuse to start).
    [
      'nothing to upgrade',
      () => db.deleteFrom('forum_state').where('name', '=', 'pending-upgrade').execute(),
    ],
    ['statistics', () => sql`analyze`.execute(db)],
  ];
  for (const [index, [label, run]] of steps.entries()) {
    const started = Date.now();
    progress(`  [${index + 1}/${steps.length}] ${label}…`);
    await run();
    progress(`      done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
