import { sql, type Kysely } from 'kysely';

// A deleted story kept its slug, made from its title: the words the author deleted were still
// in every link to the story (a redirect, the canonical address) and in a dump. Deleting now
// empties it with the title; here for the stories deleted before.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update threads set slug = 'deleted' where deleted_at is not null`.execute(db);
}

export async function down(): Promise<void> {
  // The old slugs are gone, as they should be.
}
