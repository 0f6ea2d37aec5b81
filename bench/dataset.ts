import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { DB } from '../server/db/schema.js';
import { openDatabase } from '../server/db/index.js';
import { migrateToLatest } from '../server/db/migrate.js';
import { FULL_SIZE, scaled, seed } from './seed.js';

// The bench's database: created and seeded once (bench/seed.ts), kept for later runs.

/** Creates the database named in `databaseUrl` if the server does not have it yet. */
export async function ensureDatabase(databaseUrl: string) {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  await admin.end();
}

/** Migrates, and seeds the data set of this scale unless it is there already. */
export async function ensureData(databaseUrl: string, scale: number, log: (line: string) => void) {
  const database = await openDatabase({ databaseUrl, dataDir: '/nonexistent' });
  try {
    await migrateToLatest(database.db);
    const { count } = await database.db
      .selectFrom('threads')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    const size = scaled(scale);
    if (Number(count) >= size.threads) {
      log(`Data set present: ${count} stories.`);
    } else if (Number(count) > 0) {
      throw new Error(
        `The bench database holds ${count} stories, fewer than asked: drop it and run again.`,
      );
    } else {
      log(`Seeding ${JSON.stringify(size)} (full size: ${JSON.stringify(FULL_SIZE)})`);
      await seed(database.db, size, log);
    }
    await skipAnonymityUpgrade(database.db);
    await vacuum(database.db, log);
  } finally {
    await database.close();
  }
}

/**
 * VACUUM before every run, as autovacuum keeps a database in use: a bulk-loaded table has no
 * visibility map yet, so index-only scans (the directory's answer figures, say) would read the
 * table instead, and each run adds a few thousand replies. A few seconds once vacuumed.
 */
async function vacuum(db: Kysely<DB>, log: (line: string) => void) {
  const started = Date.now();
  await sql`vacuum analyze`.execute(db);
  log(`Vacuumed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/**
 * Migration 0007 leaves a note that anonymous posts written before it still need ANON_SECRET's
 * upgrade at the forum's next start. The seed writes its anonymous posts after that migration,
 * already in the new shape but with made-up sealed authors that no secret opens: the upgrade
 * would take them for posts sealed with another secret and refuse to start the forum. So the
 * note goes — only in a data set the seed made (its members' password is 'x-not-a-login'), never
 * in a real forum's database pointed to by mistake.
 */
async function skipAnonymityUpgrade(db: Kysely<DB>) {
  const seeded = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', 'member1')
    .where('password_hash', '=', 'x-not-a-login')
    .executeTakeFirst();
  if (seeded) await db.deleteFrom('forum_state').where('name', '=', 'pending-upgrade').execute();
}

/** The pages worth measuring in this data set. */
export interface Targets {
  /** The vendor with the most stories. */
  vendor: { slug: string; stories: number };
  /** The first story with 50 replies or more: its page shows a full page of replies. */
  readThread: number;
  /**
   * The next such story, open for replies, takes the bench's replies: the page measured keeps
   * the same content from run to run.
   */
  writeThread: number;
}

export async function findTargets(databaseUrl: string): Promise<Targets> {
  const { db, close } = await openDatabase({ databaseUrl, dataDir: '/nonexistent' });
  try {
    const busy = db
      .selectFrom('threads')
      .select('id')
      .where('reply_count', '>=', 50)
      .where('deleted_at', 'is', null)
      .where('hidden_at', 'is', null)
      .where('locked_at', 'is', null)
      .orderBy('id')
      .limit(2);
    const threads = await busy.execute();
    const vendor = await db
      .selectFrom('vendors')
      .select(['slug', 'story_count'])
      .orderBy('story_count', 'desc')
      .executeTakeFirstOrThrow();
    if (threads.length < 2)
      throw new Error('The data set has fewer than 2 stories with 50 replies');
    return {
      vendor: { slug: vendor.slug, stories: Number(vendor.story_count) },
      readThread: threads[0]!.id,
      writeThread: threads[1]!.id,
    };
  } finally {
    await close();
  }
}

export async function postgresVersion(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]?.server_version.split(' ')[0] ?? 'unknown';
  } finally {
    await client.end();
  }
}
