import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.js';

/**
 * A sitemap file holds at most 50,000 addresses: the front page and the directory, the vendors,
 * then the newest stories.
 */
export const SITEMAP_LIMIT = 50_000;

export interface SitemapEntry {
  path: string;
  updated: Date;
}

/**
 * The addresses search engines should know: the front page, the vendor pages, and the stories
 * anyone can read (not hidden, not deleted), newest first. Two statements.
 */
export async function sitemapEntries(db: Kysely<DB>): Promise<SitemapEntry[]> {
  const vendors = await db
    .selectFrom('vendors')
    .select([
      'slug',
      sql<Date>`coalesce((select max(t.created_at) from thread_vendors tv
        join threads t on t.id = tv.thread_id where tv.vendor_id = vendors.id and tv.visible),
        vendors.created_at)`.as('updated'),
    ])
    .orderBy('story_count', 'desc')
    .orderBy('id')
    .limit(SITEMAP_LIMIT - 2)
    .execute();
  const stories = await db
    .selectFrom('threads')
    .select(['id', 'slug', sql<Date>`coalesce(edited_at, created_at)`.as('updated')])
    .where('deleted_at', 'is', null)
    .where('hidden_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(SITEMAP_LIMIT - 2 - vendors.length)
    .execute();
  return [
    ...vendors.map((vendor) => ({
      path: `/vendors/${vendor.slug}`,
      updated: new Date(vendor.updated),
    })),
    ...stories.map((story) => ({
      path: `/threads/${story.id}/${story.slug}`,
      updated: new Date(story.updated),
    })),
  ];
}
