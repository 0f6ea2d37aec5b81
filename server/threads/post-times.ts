import { sql, type Insertable } from 'kysely';

/** A story or reply as inserted: its time is the database's, to the hour when anonymous. */
export type NewPost<T> = Omit<Insertable<T>, 'created_at'> & { anonymous: boolean };

/** Anonymous posts keep their time only to the hour, so that it cannot be matched to a visit. */
export function postTime(anonymous: boolean) {
  return anonymous ? sql<Date>`date_trunc('hour', now())` : sql<Date>`now()`;
}

/** When a post was deleted: to the hour for an anonymous post, like its other times. */
export function deletionTime() {
  return sql<Date>`case when anonymous then date_trunc('hour', now()) else now() end`;
}
