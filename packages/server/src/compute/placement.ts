// Chooses a host with the scheduler and claims its capacity in the caller's transaction, moving
// down the ranking when a concurrent claim took the room first (the CHECK constraints decide).
import type { Knex } from 'knex';
import { place, type HostSnapshot, type Rejection, type WeigherName } from '@kumo/scheduler';
import type { HostRecord, HostsModel } from '@kumo/store';

/** What an instance needs from a host. */
export interface PlacementNeed {
  regionId: string;
  az: string;
  vcpus: number;
  memoryMB: number;
  diskGB: number;
  arch: string;
  nestedVirt: boolean;
  avoidHostIds?: string[];
}

/** The outcome: a claimed host, or why none could be had. */
export type PlacementResult = { hostId: string } | { hostId: undefined; rejected: Rejection[] };

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

/** Places and claims; tries every passing host in rank order before giving up. */
export async function placeAndClaim(
  trx: Knex.Transaction,
  hosts: HostsModel,
  instanceId: string,
  need: PlacementNeed,
  weigher: WeigherName,
): Promise<PlacementResult> {
  const candidates = (await hosts.list(need.regionId, trx)).map(snapshot);
  const placement = place(
    {
      az: need.az,
      vcpus: need.vcpus,
      memoryMB: need.memoryMB,
      diskGB: need.diskGB,
      arch: need.arch,
      nestedVirt: need.nestedVirt,
      avoidHostIds: need.avoidHostIds ?? [],
    },
    candidates,
    { weigher },
  );
  for (const hostId of placement.ranked) {
    if (await hosts.claim(trx, instanceId, hostId, need)) return { hostId };
  }
  return { hostId: undefined, rejected: placement.rejected };
}
