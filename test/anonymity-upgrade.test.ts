import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { migrations } from '../migrations/index.js';
import { buildApp } from '../server/app.js';
import { openDatabase } from '../server/db/index.js';
import { createAnonymity } from '../server/security/anonymity.js';
import { readLedger } from '../server/security/anonymous-ledger.js';
import { testConfig } from './helpers/app.js';
import { createTestDatabase } from './helpers/database.js';
import { TestClient } from './helpers/client.js';
import { hashPassword } from '../server/accounts/passwords.js';

/** A box as sealed before migration 0007: the member id unpadded, so its length varied. */
function oldSeal(secret: string, memberId: number) {
  const key = Buffer.from(hkdfSync('sha256', secret, '', 'partner-stories sealed author', 32));
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const sealed = Buffer.concat([cipher.update(String(memberId), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), sealed]).toString('base64url');
}

// An operator upgrading a forum that already has anonymous posts: migration 0007 drops the
// per-author hint, and the app fills in what needs ANON_SECRET at its next start.

const dataDir = mkdtempSync(path.join(tmpdir(), 'partner-stories-upgrade-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('upgrading anonymous posts written before migration 0007', () => {
  it('keeps their pseudonyms, and lets their author find, edit and count them', async () => {
    const server = process.env.DATABASE_URL ? await createTestDatabase() : null;
    const config = testConfig({ databaseUrl: server?.url, dataDir });
    const anonymity = createAnonymity(config.anonSecret);
    const old = await openDatabase({ databaseUrl: config.databaseUrl, dataDir });
    try {
      const migrator = new Migrator({
        db: old.db,
        provider: { getMigrations: async () => migrations },
      });
      const { error } = await migrator.migrateTo('0006_notifications');
      expect(error).toBeUndefined();
      const hash = await hashPassword('correct horse battery');
      await sql`insert into users (id, username, password_hash) overriding system value
                values (41, 'old-timer', ${hash})`.execute(old.db);
      await sql`insert into vendors (id, name, slug, story_count) overriding system value
                values (7, 'Legacy Corp', 'legacy-corp', 1)`.execute(old.db);
      await sql`insert into threads (id, title, slug, body_source, body_html, sentiment, vendor_tags,
                  anonymous, author_tag, author_box, owner_hint, created_at) overriding system value
                values (5, 'An old anonymous story', 'an-old-anonymous-story', 'old', '<p>old</p>',
                  'bad', ${JSON.stringify([{ id: 7, name: 'Legacy Corp', slug: 'legacy-corp' }])},
                  true, ${anonymity.authorTag(5, 41)}, ${oldSeal(config.anonSecret, 41)}, 12,
                  date_trunc('hour', now()))`.execute(old.db);
      await sql`insert into thread_vendors (thread_id, vendor_id, position, voice_key)
                values (5, 7, 0, 'an old anonymous voice key')`.execute(old.db);
      await sql`insert into replies (thread_id, body_source, body_html, anonymous, author_tag,
                  author_box, owner_hint, created_at)
                values (5, 'old reply', '<p>old reply</p>', true, ${anonymity.authorTag(5, 41)},
                  ${oldSeal(config.anonSecret, 41)}, 12, date_trunc('hour', now()))`.execute(
        old.db,
      );
      // A deleted member's post, as the old deletion left it: random values of other lengths.
      await sql`insert into replies (thread_id, body_source, body_html, anonymous, author_tag,
                  author_box, owner_hint, created_at)
                values (5, 'left', '<p>left</p>', true, 'random-tag-of-a-deleted-member-0123456789ab',
                  'random-box-of-a-deleted-member-0123456789ab', null, date_trunc('hour', now()))`.execute(
        old.db,
      );
      // A story held by reports, which now keeps counting for its vendor.
      await sql`insert into threads (id, title, slug, body_source, body_html, sentiment, vendor_tags,
                  anonymous, author_id, created_at, hidden_at, hidden_reason) overriding system value
                values (6, 'A named story reports hid', 'a-named-story-reports-hid', 'x', '<p>x</p>',
                  'good', ${JSON.stringify([{ id: 7, name: 'Legacy Corp', slug: 'legacy-corp' }])},
                  false, 41, now(), now(), 'reported by several members, pending review')`.execute(
        old.db,
      );
      await sql`insert into thread_vendors (thread_id, vendor_id, position, voice_key, visible)
                values (6, 7, 0, 'gone:an-old-deleted-key', false)`.execute(old.db);
      await sql`insert into suspensions (subject, until)
                values (${anonymity.suspensionSubject(41)}, now() + interval '3 days')`.execute(
        old.db,
      );
    } finally {
      await old.close();
    }

    // The wrong secret is refused before it can do harm, and changes nothing.
    const wrong = testConfig({
      databaseUrl: server?.url,
      dataDir,
      anonSecret: 'a different secret that is long enough 0123456789',
    });
    await expect(buildApp(wrong)).rejects.toThrow(/ANON_SECRET is not the secret/);

    const app = await buildApp(config);
    try {
      const pseudonym = anonymity.pseudonym(anonymity.authorTag(5, 41));
      const page = await new TestClient(app).get('/threads/5');
      expect(page.body.match(new RegExp(`Anonymous provider · ${pseudonym}`, 'g'))).toHaveLength(2);
      expect(await readLedger(app.db, anonymity, 41)).toEqual({
        threads: [5],
        replies: [expect.any(Number)],
      });
      const voices = await app.db.selectFrom('anonymous_voices').select('voice').execute();
      expect(voices).toEqual([{ voice: anonymity.anonymousVoice(7, 41) }]);
      const row = await app.db
        .selectFrom('thread_vendors')
        .select(['voice_key', 'counted'])
        .where('thread_id', '=', 5)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ voice_key: null, counted: true });
      // Boxes have one length now, the deleted member's included; nothing opens the latter.
      const boxes = await sql<{ author_box: string }>`
        select author_box from threads where anonymous union all
        select author_box from replies where anonymous`.execute(app.db);
      expect(new Set(boxes.rows.map((r) => r.author_box.length)).size).toBe(1);
      expect(boxes.rows.filter((r) => anonymity.open(r.author_box) === 41)).toHaveLength(2);
      // The held story counts; old keys have the usual shape; the suspension is sealed.
      expect(
        await app.db
          .selectFrom('vendors')
          .select(['story_count', 'voices'])
          .executeTakeFirstOrThrow(),
      ).toEqual({ story_count: 2, voices: 2 });
      const keys = await app.db.selectFrom('thread_vendors').select('voice_key').execute();
      for (const { voice_key } of keys) if (voice_key) expect(voice_key).toMatch(/^[\w-]{43}$/);
      const suspension = await app.db
        .selectFrom('suspensions')
        .selectAll()
        .executeTakeFirstOrThrow();
      expect(suspension.until).toBeNull();
      expect(anonymity.openData<{ until: number }>(suspension.sealed!)!.until).toBeGreaterThan(
        Date.now(),
      );
      const member = new TestClient(app);
      await member.submit('/login', '/login', {
        username: 'old-timer',
        password: 'correct horse battery',
      });
      expect((await member.get('/account')).body).toContain('An old anonymous story');
      expect((await member.get('/threads/5/edit')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    // Once the fingerprint is kept, the wrong secret is refused at any later start too.
    await expect(buildApp(wrong)).rejects.toThrow(/fingerprint differs/);
    await server?.drop();
  });
});
