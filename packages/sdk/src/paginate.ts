/** One page of a backend list. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

/**
 * Walk every page of a list, one request at a time:
 *
 * ```ts
 * for await (const user of paginate((cursor) => gatehouse.users.list({ search: 'ada', cursor }))) {
 *   console.log(user.email);
 * }
 * ```
 */
export async function* paginate<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.hasMore && page.nextCursor ? page.nextCursor : undefined;
  } while (cursor);
}
