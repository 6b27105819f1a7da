// Chooses a host with the scheduler and claims its capacity in the caller's transaction, spread over
// the best-ranked hosts so concurrent creates do not queue on one (the CHECK constraints decide);
// and moves a failed spawn to another host. Policy of where, never of whether.
import {
  place,
  type HostSnapshot,
  type PlacementRequest,
  type Rejection,
  type WeigherName,
} from '@kumo/scheduler';
import type {
  HostRecord,
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

const snapshot = (h: HostRecord): HostSnapshot => ({
  id: h.id,
  az: h.az,
  enabled: h.enabled,
  healthy: h.health === 'up',
  arch: h.arch,
  nestedVirt: h.nestedVirt,
  vcpus: h.vcpus,
  memoryMB: h.memoryMB,
  diskGB: h.diskGB,
  instances: 0,
});

/**
 * Places and claims. The claim picks among the best-ranked hosts that no concurrent placement is
 * claiming (HostsModel.claimRanked), re-checking each candidate's current room; when none of the
 * ranked hosts fits any more (the snapshot was stale), the hosts are read again and ranked once
 * more, so a placement is refused only when no host of the AZ fits at that moment.
 */
export async function placeAndClaim(
  trx: Transaction,
  hosts: HostsModel,
  instanceId: string,
  need: PlacementNeed,
  weigher: WeigherName,
): Promise<PlacementResult> {
  const { regionId, ...request } = need;
  let placement = place(request, (await hosts.inZone(regionId, need.az, trx)).map(snapshot), { weigher });
  for (let pass = 0; pass < 2 && placement.ranked.length > 0; pass++) {
    if (pass > 0)
      placement = place(request, (await hosts.inZone(regionId, need.az, trx)).map(snapshot), { weigher });
    const hostId = await hosts.claimRanked(trx, instanceId, placement.ranked, need);
    if (hostId) return { hostId };
  }
  return { hostId: undefined, rejected: placement.rejected };
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
