// One guarded placement: read snapshots, place(), insert the instance and claim through the store's
// HostsModel.claim (CHECK-guarded) in one transaction, walking down `ranked` on a refused claim.
import type { Knex } from 'knex';
import { place, type PlacementRequest } from '@kumo/scheduler';
import type { ClaimSize, HostsModel } from '@kumo/store';
import type { Outcome } from './drive.js';
import { instanceRow } from './instance.js';
import { readSnapshots } from './snapshots.js';

/** Hosts tried per placement before giving up: bounds the work one request can cause. */
export const MAX_ATTEMPTS = 5;

/** Refused claims, counted across placements for the report. */
export interface ClaimStats {
  retries: number;
}

/**
 * Tries to claim one of `ranked` for the instance inside `trx`; resolves to whether one was claimed.
 * Each refused claim counts one retry.
 */
export type ClaimWalk = (
  trx: Knex.Transaction,
  instanceId: string,
  ranked: readonly string[],
  size: ClaimSize,
) => Promise<boolean>;

/**
 * One placement in one transaction: snapshots, place(), the instance row, then `walk` over the
 * ranked hosts. Resolves to 'placed', 'no-room' (no host passed the filters) or 'conflict' (every
 * claim refused because concurrent placements filled the hosts first; the instance row rolls back).
 */
export async function placeInTransaction(
  db: Knex,
  n: number,
  req: PlacementRequest,
  walk: ClaimWalk,
): Promise<Outcome> {
  return db
    .transaction(async (trx): Promise<Outcome> => {
      const snapshots = await readSnapshots(trx, req.az);
      const p = place(req, snapshots);
      if (p.hostId === undefined) return 'no-room';
      const inst = instanceRow(n, req.az, req);
      await trx('instances').insert(inst);
      const size = { vcpus: req.vcpus, memoryMB: req.memoryMB, diskGB: req.diskGB };
      if (await walk(trx, inst.id, p.ranked, size)) return 'placed';
      throw new Conflict();
    })
    .catch((err: unknown) => {
      if (err instanceof Conflict) return 'conflict';
      throw err;
    });
}

/** Places request `n` claiming the best-ranked hosts in order, up to MAX_ATTEMPTS of them. */
export function placeGuarded(
  db: Knex,
  hosts: HostsModel,
  n: number,
  req: PlacementRequest,
  stats: ClaimStats,
): Promise<Outcome> {
  return placeInTransaction(db, n, req, async (trx, instanceId, ranked, size) => {
    for (const hostId of ranked.slice(0, MAX_ATTEMPTS)) {
      if (await hosts.claim(trx, instanceId, hostId, size)) return true;
      stats.retries++;
    }
    return false;
  });
}

class Conflict extends Error {}
