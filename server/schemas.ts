import { Type } from '@sinclair/typebox';

// Schemas that many routes share. A feature's own forms live in its folder (threads/schemas.ts).

/** A row id in an address: a positive 32-bit integer, or the address names nothing (404). */
export const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
export const IdParams = Type.Object({ id: Id });

/** `?page=`: 1 when absent. */
export const PageNumber = Type.Integer({
  minimum: 1,
  maximum: 999_999,
  default: 1,
  errorMessage: 'The page number must be a whole number from 1 up.',
});
export const PageQuery = Type.Object({ page: Type.Optional(PageNumber) });

/** A vendor's address, `/vendors/:slug`: any text; one that names no vendor is looked up as a merged one. */
export const SlugParams = Type.Object({ slug: Type.String() });
