import { sql, type Kysely } from 'kysely';

// A reply is checked against the member's same reply sent within the minute (a double click).
// The story's index found every reply of the story and the check read them all: 1.8 ms for a
// story of 2,400 replies, more with every reply. By story and a hash of the text, it finds the
// replies with the same text only, however many the story has and however fast they come.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index replies_twin_idx on replies (thread_id, md5(body_source), created_at)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index replies_twin_idx`.execute(db);
}
