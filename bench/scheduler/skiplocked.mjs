// One guarded placement that does not queue behind concurrent claims: before HostsModel.claim it
// locks the best-ranked host no other transaction is claiming right now (FOR UPDATE SKIP LOCKED).
// The claim itself is still the store's CHECK-guarded one; this only changes which host is tried.
import { place } from '../../packages/scheduler/dist/index.js';
import { MAX_ATTEMPTS } from './guarded.mjs';
import { instanceRow } from './instance.mjs';
import { readSnapshots } from './snapshots.mjs';

// Ranked hosts considered for the lock: enough that 64 concurrent placements each find a free one.
const WINDOW = 128;

const LOCK_FIRST_FREE = `SELECT id FROM hosts WHERE id = ANY(?::text[])
  ORDER BY array_position(?::text[], id) LIMIT 1 FOR UPDATE SKIP LOCKED`;

/** Like placeGuarded, but a host locked by a concurrent claim is skipped instead of waited for. */
export async function placeSkipLocked(db, hosts, n, req, stats) {
  return db
    .transaction(async (trx) => {
      const snapshots = await readSnapshots(trx, req.az);
      const p = place(req, snapshots);
      if (p.hostId === undefined) return 'no-room';
      const inst = instanceRow(n, req.az, req);
      await trx('instances').insert(inst);
      const size = { vcpus: req.vcpus, memoryMB: req.memoryMB, diskGB: req.diskGB };
      let window = p.ranked.slice(0, WINDOW);
      for (let attempt = 0; attempt < MAX_ATTEMPTS && window.length > 0; attempt++) {
        const { rows } = await trx.raw(LOCK_FIRST_FREE, [window, window]);
        // Every candidate is being claimed by someone else: wait for the best one like placeGuarded.
        const hostId = rows[0]?.id ?? window[0];
        if (await hosts.claim(trx, inst.id, hostId, size)) return 'placed';
        stats.retries++;
        window = window.filter((id) => id !== hostId);
      }
      throw new Conflict();
    })
    .catch((err) => {
      if (err instanceof Conflict) return 'conflict';
      throw err;
    });
}

class Conflict extends Error {}
