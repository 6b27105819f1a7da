// One page of a list query and its total, the way every describe* list pages: ordered by
// (created_at, id) so pages are stable and walk the list indexes (see migration 0003).
import type { Knex } from 'knex';

/** Runs `q` for one page (offset/limit) and counts all its rows, in parallel. */
export async function pageOf<Row extends object>(
  q: Knex.QueryBuilder<Row, Row[]>,
  offset: number,
  limit: number,
): Promise<{ rows: Row[]; total: number }> {
  const [rows, [{ n }]] = await Promise.all([
    q
      .clone()
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .offset(offset)
      .limit(limit) as unknown as Promise<Row[]>,
    q.clone().count({ n: '*' }) as unknown as Promise<[{ n: number }]>,
  ]);
  return { rows, total: n };
}
