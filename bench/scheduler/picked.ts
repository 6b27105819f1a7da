// One placement exactly as kumod makes it since issue 14: the instance row, then the server's own
// placeAndClaim (packages/server/src/compute/placement.ts) with one ZoneSnapshots for the whole run
// as a kumod process has: the AZ's recent snapshot ranks, HostsModel.claimRanked takes the
// best-ranked host with room that no concurrent placement is claiming (its current room re-checked
// in the one claim statement), and a fresh read of the AZ comes before any refusal.
import type { Knex } from 'knex';
import type { PlacementRequest } from '@kumo/scheduler';
import type { HostsModel } from '@kumo/store';
import { placeAndClaim } from '../../packages/server/src/compute/placement.js';
import type { ZoneSnapshots } from '../../packages/server/src/compute/zone-snapshots.js';
import type { Outcome } from './drive.js';
import { instanceRow } from './instance.js';
import { REGION } from './seed.js';

/** Places request `n` through placeAndClaim; 'no-room' when no host of the AZ fits it now. */
export async function placePicked(
  db: Knex,
  hosts: HostsModel,
  snapshots: ZoneSnapshots,
  n: number,
  req: PlacementRequest,
): Promise<Outcome> {
  return db
    .transaction(async (trx): Promise<Outcome> => {
      const inst = instanceRow(n, req.az, req);
      await trx('instances').insert(inst);
      const r = await placeAndClaim(trx, hosts, inst.id, { ...req, regionId: REGION }, 'spread', snapshots);
      if (r.hostId) return 'placed';
      // The instance row goes with the rollback.
      throw new Refused();
    })
    .catch((err: unknown) => {
      if (err instanceof Refused) return 'no-room';
      throw err;
    });
}

class Refused extends Error {}
