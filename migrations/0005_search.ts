import { sql, type Kysely } from 'kysely';

// Full-text search over stories (title weighted above body) and replies, with GIN indexes.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table threads add column search_vector tsvector generated always as (
      setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body_source), 'B')
    ) stored`.execute(db);
  await sql`alter table replies add column search_vector tsvector generated always as (
      to_tsvector('english', body_source)
    ) stored`.execute(db);
  await sql`create index threads_search_idx on threads using gin (search_vector)`.execute(db);
  await sql`create index replies_search_idx on replies using gin (search_vector)`.execute(db);
  await sql`create index threads_tier_idx on threads (tier_key, id desc)`.execute(db);
  await sql`create index threads_sentiment_idx on threads (sentiment, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table replies drop column search_vector`.execute(db);
  await sql`alter table threads drop column search_vector`.execute(db);
  await sql`drop index threads_tier_idx`.execute(db);
  await sql`drop index threads_sentiment_idx`.execute(db);
}
