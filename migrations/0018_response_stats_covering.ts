import { sql, type Kysely } from 'kysely';

// The vendor directory and every vendor page sum a vendor's last twelve months of answer
// figures. The primary key finds the months, but each month's row sat in a heap page of its
// own: fifty vendors read some six hundred pages per directory view (3 ms of the database's
// time, the page's ceiling). With the figures in the index, the sums read the index alone.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index vendor_response_stats_figures_idx on vendor_response_stats
    (vendor_id, month) include (stories, answered, resolved, not_resolved)`.execute(db);
  await sql`create index vendor_response_days_figures_idx on vendor_response_days
    (vendor_id, month) include (days, answers)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index vendor_response_days_figures_idx`.execute(db);
  await sql`drop index vendor_response_stats_figures_idx`.execute(db);
}
