// After a run: how many refused placements a host of their AZ could still take. Capacity only
// fills during a run (no instance is deleted), so a host that fits a refused request at the end
// had room for it when it was refused too. Read-only.
import type { Knex } from 'knex';
import { place, type HostSnapshot, type PlacementRequest } from '@kumo/scheduler';
import { readSnapshots } from './snapshots.js';

/** Refused requests (indices into `reqs`) that place() would still put on a host now. */
export async function refusedWithRoom(
  db: Knex,
  reqs: PlacementRequest[],
  refused: number[],
): Promise<number> {
  const byAz = new Map<string, HostSnapshot[]>();
  let n = 0;
  for (const i of refused) {
    const req = reqs[i]!;
    let snaps = byAz.get(req.az);
    if (!snaps) byAz.set(req.az, (snaps = await readSnapshots(db, req.az)));
    if (place(req, snaps).hostId !== undefined) n++;
  }
  return n;
}
