import { sql } from 'kysely';
import type { Member, VendorRef } from '../security/member.js';
import { ANONYMOUS_LABEL, type Anonymity } from '../security/anonymity.js';

interface AuthoredRow {
  anonymous: boolean;
  author_id: number | null;
  pseudonym: string | null;
  author_username?: string | null;
  /** The vendor a named author represents (authorVendor): their posts carry its badge. */
  author_vendor?: Omit<VendorRef, 'id'> | null;
}

/** How a post's author appears on a page: never more than the public may know. */
export type AuthorView =
  | { anonymous: true; label: string; pseudonym: string }
  | { anonymous: false; username: string | null; official: Omit<VendorRef, 'id'> | null };

export function authorView(row: AuthoredRow): AuthorView {
  if (row.anonymous) {
    const pseudonym = row.pseudonym ?? '';
    return { anonymous: true, label: `${ANONYMOUS_LABEL} · ${pseudonym}`, pseudonym };
  }
  return {
    anonymous: false,
    username: row.author_username ?? null,
    official: row.author_vendor ?? null,
  };
}

/**
 * The column `author_vendor` of a query that joins the author's row as `users` (or `alias`): the
 * vendor they represent, as { name, slug }, or null. Anonymous posts have no author row, so an
 * anonymous post never carries it.
 */
export function authorVendor(alias = 'users') {
  return representedVendor(alias).as('author_vendor');
}

/** authorVendor's expression, for a query written in SQL. */
export function representedVendor(alias: string) {
  return sql<Omit<
    VendorRef,
    'id'
  > | null>`(select json_build_object('name', rv.name, 'slug', rv.slug)
    from representatives rp join vendors rv on rv.id = rp.vendor_id
    where rp.user_id = ${sql.ref(`${alias}.id`)})`;
}

/**
 * Whether `member` wrote the post, in the clear or anonymously (through the per-thread tag).
 * Callers answer "not yours" the same way for both, so nothing tells the two apart.
 */
export function isAuthor(
  row: AuthorColumns,
  threadId: number,
  member: Member | null,
  anonymity: Anonymity,
): boolean {
  return authorshipIn(threadId, member, anonymity)(row);
}

type AuthorColumns = { anonymous: boolean; author_id: number | null; author_tag: string | null };

/**
 * isAuthor for the posts of one thread, shown together: the member's tag in that thread is
 * computed once, not once per reply.
 */
export function authorshipIn(threadId: number, member: Member | null, anonymity: Anonymity) {
  const tag = member ? anonymity.authorTag(threadId, member.id) : null;
  return (row: AuthorColumns) =>
    member !== null && (row.anonymous ? row.author_tag === tag : row.author_id === member.id);
}

/** The author columns of a new post by `member`. */
export function authorColumns(
  threadId: number,
  member: Member,
  anonymous: boolean,
  anonymity: Anonymity,
) {
  if (!anonymous) {
    return {
      anonymous: false,
      author_id: member.id,
      author_tag: null,
      author_box: null,
      pseudonym: null,
    };
  }
  const authorTag = anonymity.authorTag(threadId, member.id);
  return {
    anonymous: true,
    author_id: null,
    author_tag: authorTag,
    author_box: anonymity.seal(member.id),
    pseudonym: anonymity.pseudonym(authorTag),
  };
}

/** Strips author columns from a row, adding the view: nothing else reaches a template. */
export function withAuthor<T extends AuthoredRow & { author_tag?: string | null }>(row: T) {
  const {
    author_tag: _tag,
    author_id: _id,
    author_username: _name,
    author_vendor: _vendor,
    pseudonym: _pseudonym,
    ...rest
  } = row;
  return { ...rest, author: authorView(row) };
}

/** The author of a post, in the clear or opened from its sealed id; null for a deleted member. */
export function authorOf(
  post: { anonymous: boolean; author_id: number | null; author_box: string | null },
  anonymity: Anonymity,
): number | null {
  return post.anonymous ? anonymity.open(post.author_box ?? '') : post.author_id;
}
