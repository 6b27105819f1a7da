// One guarded placement: read snapshots, place(), insert the instance and claim through the store's
// HostsModel.claim (CHECK-guarded) in one transaction, walking down `ranked` on a refused claim.
import { place } from '../../packages/scheduler/dist/index.js';
import { instanceRow } from './instance.mjs';
import { readSnapshots } from './snapshots.mjs';

/** Hosts tried per placement before giving up: bounds the work one request can cause. */
export const MAX_ATTEMPTS = 5;

/**
 * Places request `n`; resolves to 'placed', 'no-room' (no host passed the filters) or 'conflict'
 * (MAX_ATTEMPTS claims refused because concurrent placements filled the hosts first).
 * `retries` counts refused claims, for the report.
 */
export async function placeGuarded(db, hosts, n, req, stats) {
  return db
    .transaction(async (trx) => {
      const snapshots = await readSnapshots(trx, req.az);
      const p = place(req, snapshots);
      if (p.hostId === undefined) return 'no-room';
      const inst = instanceRow(n, req.az, req);
      await trx('instances').insert(inst);
      const size = { vcpus: req.vcpus, memoryMB: req.memoryMB, diskGB: req.diskGB };
      for (const hostId of p.ranked.slice(0, MAX_ATTEMPTS)) {
        if (await hosts.claim(trx, inst.id, hostId, size)) return 'placed';
        stats.retries++;
      }
      // Nothing claimed: roll the instance row back with the transaction.
      throw new Conflict();
    })
    .catch((err) => {
      if (err instanceof Conflict) return 'conflict';
      throw err;
    });
}

class Conflict extends Error {}
