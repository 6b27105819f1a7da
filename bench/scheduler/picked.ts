// One placement as kumod's placeAndClaim makes it since issue 14: snapshots, place(), the instance
// row, then the store's HostsModel.claimRanked (the best-ranked host with room that no concurrent
// placement is claiming, its current room re-checked in the one claim statement; else waiting for
// the best one); when no ranked host fits any more, one fresh read of the AZ and one more ranking.
import type { Knex } from 'knex';
import { place, type PlacementRequest } from '@kumo/scheduler';
import type { HostsModel } from '@kumo/store';
import type { Outcome } from './drive.js';
import { instanceRow } from './instance.js';
import { readSnapshots } from './snapshots.js';
import type { ClaimStats } from './guarded.js';

/** Places request `n` with HostsModel.claimRanked; a re-read after a refused pick counts one retry. */
export async function placePicked(
  db: Knex,
  hosts: HostsModel,
  n: number,
  req: PlacementRequest,
  stats: ClaimStats,
): Promise<Outcome> {
  return db
    .transaction(async (trx): Promise<Outcome> => {
      const size = { vcpus: req.vcpus, memoryMB: req.memoryMB, diskGB: req.diskGB };
      let p = place(req, await readSnapshots(trx, req.az));
      if (p.hostId === undefined) return 'no-room';
      const inst = instanceRow(n, req.az, req);
      await trx('instances').insert(inst);
      for (let pass = 0; pass < 2; pass++) {
        if (pass > 0) {
          stats.retries++;
          p = place(req, await readSnapshots(trx, req.az));
          // Nothing of the AZ fits now: the instance row goes with the rollback.
          if (p.hostId === undefined) throw new Refused('no-room');
        }
        if (await hosts.claimRanked(trx, inst.id, p.ranked, size)) return 'placed';
      }
      throw new Refused('conflict');
    })
    .catch((err: unknown) => {
      if (err instanceof Refused) return err.outcome;
      throw err;
    });
}

/** Ends the transaction (the instance row rolls back) with how the placement ended. */
class Refused extends Error {
  constructor(readonly outcome: Outcome) {
    super(outcome);
  }
}
