// Collects every page of a JD paged list (pageSize 100, the API maximum) so list commands show everything.

/** Largest page the API allows. */
export const MAX_PAGE_SIZE = 100;

/** Calls `fetchPage(pageNumber)` until `totalCount` items are collected or a page comes back empty. */
export async function collectPages<T>(
  fetchPage: (pageNumber: number, pageSize: number) => Promise<{ items: T[]; totalCount: number }>,
  maxPages = 1000,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const { items, totalCount } = await fetchPage(page, MAX_PAGE_SIZE);
    all.push(...items);
    if (items.length === 0 || all.length >= totalCount) break;
  }
  return all;
}
