import { HttpError } from './http-errors.js';

export const pageNotFound = () =>
  new HttpError(404, 'There is no such page: the list is shorter than that.');

export interface Page<T> {
  items: T[];
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

/**
 * Cuts the one-row-too-many result of a list query into a page. A page past the end is a 404,
 * except the first page of an empty list.
 */
export function toPage<T>(rows: T[], page: number, perPage: number): Page<T> {
  if (page > 1 && rows.length === 0) throw pageNotFound();
  return {
    items: rows.slice(0, perPage),
    page,
    hasPrevious: page > 1,
    hasNext: rows.length > perPage,
  };
}

/** Offset of a page. */
export function offsetOf(page: number, perPage: number): number {
  return (page - 1) * perPage;
}
