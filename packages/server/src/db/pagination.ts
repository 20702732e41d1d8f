import { ApiError } from '../http/errors.js';

/**
 * Keyset pagination on time-sortable ids: no OFFSET and no total count, so page 1,000 costs the
 * same as page 1. A cursor is the last id seen, wrapped so that clients treat it as opaque.
 */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[\w.:-]{1,200}$/.test(key)) throw new ApiError('invalid_request', 'The cursor is not one this API returned.');
  return key;
}

/** Turn `limit + 1` fetched rows into a page. */
export function toPage<Row, Item>(rows: Row[], limit: number, keyOf: (row: Row) => string, present: (row: Row) => Item) {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(present),
    hasMore,
    nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null,
  };
}
