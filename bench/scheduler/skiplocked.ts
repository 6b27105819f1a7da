// One guarded placement that does not queue behind concurrent claims: before HostsModel.claim it
// locks the best-ranked host no other transaction is claiming right now (FOR UPDATE SKIP LOCKED).
// The claim itself is still the store's CHECK-guarded one; this only changes which host is tried.
import type { Knex } from 'knex';
import type { PlacementRequest } from '@kumo/scheduler';
import type { HostsModel } from '@kumo/store';
import type { Outcome } from './drive.js';
import { MAX_ATTEMPTS, placeInTransaction, type ClaimStats } from './guarded.js';

// Ranked hosts considered for the lock: enough that 64 concurrent placements each find a free one.
const WINDOW = 128;

const LOCK_FIRST_FREE = `SELECT id FROM hosts WHERE id = ANY(?::text[])
  ORDER BY array_position(?::text[], id) LIMIT 1 FOR UPDATE SKIP LOCKED`;

/** Like placeGuarded, but a host locked by a concurrent claim is skipped instead of waited for. */
export function placeSkipLocked(
  db: Knex,
  hosts: HostsModel,
  n: number,
  req: PlacementRequest,
  stats: ClaimStats,
): Promise<Outcome> {
  return placeInTransaction(db, n, req, async (trx, instanceId, ranked, size) => {
    let window = ranked.slice(0, WINDOW);
    for (let attempt = 0; attempt < MAX_ATTEMPTS && window.length > 0; attempt++) {
      const { rows } = await trx.raw<{ rows: { id: string }[] }>(LOCK_FIRST_FREE, [window, window]);
      // Every candidate is being claimed by someone else: wait for the best one like placeGuarded.
      const hostId = rows[0]?.id ?? window[0]!;
      if (await hosts.claim(trx, instanceId, hostId, size)) return true;
      stats.retries++;
      window = window.filter((id) => id !== hostId);
    }
    return false;
  });
}
