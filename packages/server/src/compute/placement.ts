// Chooses a host with the scheduler and claims its capacity in the caller's transaction, spread over
// the best-ranked hosts so concurrent creates do not queue on one (the CHECK constraints decide);
// and moves a failed spawn to another host. Policy of where, never of whether.
import {
  place,
  type Placement,
  type PlacementRequest,
  type Rejection,
  type WeigherName,
} from '@kumo/scheduler';
import { ZoneSnapshots } from './zone-snapshots.js';
import type {
  HostsModel,
  ImagesModel,
  InstanceRecord,
  InstanceTasksModel,
  TaskName,
  Transaction,
  Transactions,
} from '@kumo/store';

/** What an instance needs from a host, and the region it is placed in. */
export interface PlacementNeed extends PlacementRequest {
  regionId: string;
}

/** The outcome: a claimed host, or why none could be had. */
export type PlacementResult = { hostId: string } | { hostId: undefined; rejected: Rejection[] };

/** The lease a step runs under (which task, which worker). */
export interface LeaseRef {
  task: TaskName;
  owner: string;
}

/** Moving a spawn off a host that failed it. */
export interface Replacement {
  /**
   * Releases the instance's claim and claims another host (avoiding `avoid`), bounded by the
   * spawn attempts. Returns the updated instance, `exhausted` when no attempt or host is left
   * (the claim is gone then), or `fenced` when the lease was lost (nothing changed).
   */
  moveToAnotherHost(
    inst: InstanceRecord,
    avoid: readonly string[],
    lease: LeaseRef,
  ): Promise<InstanceRecord | 'exhausted' | 'fenced'>;
}

/** How many hosts one spawn may try before it fails. */
export const MAX_SPAWN_ATTEMPTS = 3;

/**
 * Places and claims. The ranking comes from the AZ's recent snapshot (zone-snapshots.ts); the
 * claim takes the best-ranked host with room that no concurrent placement is claiming
 * (HostsModel.claimRanked, which re-checks each candidate's current room). When none of the
 * ranked hosts fits any more, the AZ is read afresh and ranked once more, so a placement is
 * refused only when no host of the AZ fits at that moment.
 */
export async function placeAndClaim(
  trx: Transaction,
  hosts: HostsModel,
  instanceId: string,
  need: PlacementNeed,
  weigher: WeigherName,
  snapshots: ZoneSnapshots = new ZoneSnapshots(),
): Promise<PlacementResult> {
  const { regionId, ...request } = need;
  let placement: Placement | undefined;
  for (const fresh of [false, true]) {
    placement = place(request, await snapshots.get(hosts, trx, regionId, need.az, fresh), { weigher });
    if (placement.ranked.length === 0) continue;
    const hostId = await hosts.claimRanked(trx, instanceId, placement.ranked, need);
    if (hostId) {
      snapshots.charged(regionId, need.az, hostId, need);
      return { hostId };
    }
  }
  return { hostId: undefined, rejected: placement!.rejected };
}

class Fenced extends Error {}

/** Moves failed spawns to another host, with the claim and the row changed in one transaction. */
export class SpawnPlacement implements Replacement {
  constructor(
    private readonly deps: {
      tx: Transactions;
      hosts: HostsModel;
      images: ImagesModel;
      leases: InstanceTasksModel;
      weigher: WeigherName;
      snapshots: ZoneSnapshots;
    },
  ) {}

  async moveToAnotherHost(
    inst: InstanceRecord,
    avoid: readonly string[],
    lease: LeaseRef,
  ): Promise<InstanceRecord | 'exhausted' | 'fenced'> {
    const d = this.deps;
    const image = await d.images.get(inst.imageId);
    try {
      return await d.tx.run(async (trx) => {
        await d.hosts.release(inst.id, trx);
        const spawnAttempts = inst.spawnAttempts + 1;
        const r =
          spawnAttempts >= MAX_SPAWN_ATTEMPTS
            ? undefined
            : await placeAndClaim(
                trx,
                d.hosts,
                inst.id,
                {
                  regionId: inst.regionId,
                  az: inst.az,
                  vcpus: inst.vcpus,
                  memoryMB: inst.memoryMB,
                  diskGB: inst.systemDiskGB,
                  arch: image?.architecture ?? 'x86_64',
                  nestedVirt: inst.nestedVirt,
                  avoidHostIds: avoid,
                },
                d.weigher,
                d.snapshots,
              );
        const hostId = r?.hostId ?? null;
        // Fenced: a delete took the instance meanwhile; roll the claim change back with the rest.
        if (!(await d.leases.moveHost(trx, inst.id, lease.task, lease.owner, { hostId, spawnAttempts })))
          throw new Fenced();
        return hostId ? { ...inst, hostId, spawnAttempts } : 'exhausted';
      });
    } catch (err) {
      if (err instanceof Fenced) return 'fenced';
      throw err;
    }
  }
}
