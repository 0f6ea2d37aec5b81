import { sql, type Kysely } from 'kysely';

// Story lists show an excerpt (issue 16): the opening of the story as plain text, kept beside
// the story so that a list reads no body. Written with the story and on every edit; here filled
// in for the stories there are, from their formatted HTML (tags dropped, the five entities our
// sanitizer writes decoded, spaces collapsed).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('threads')
    .addColumn('excerpt', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  await sql`update threads set excerpt = left(btrim(regexp_replace(
      replace(replace(replace(replace(replace(
        regexp_replace(body_html, '<[^>]*>', ' ', 'g'),
        '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&'),
      '\\s+', ' ', 'g')), 240)
    where deleted_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('threads').dropColumn('excerpt').execute();
}
