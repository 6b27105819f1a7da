// Host snapshots of each AZ shared by this process's placements for a moment, so that a create
// does not read and convert every host row of its AZ. Safe because a snapshot only ranks the
// candidates: HostsModel.claimRanked re-checks each candidate's current room, state and health in
// its claim statement, and placeAndClaim reads the AZ afresh before it refuses a placement. This
// process's own claims are applied to the cached copy at once; other processes' show at the next
// read (at most MAX_AGE_MS later).
import type { HostSnapshot } from '@kumo/scheduler';
import type { ClaimSize, HostRecord, HostsModel, Transaction } from '@kumo/store';

/** How long a cached AZ snapshot ranks placements before it is read again. */
export const MAX_AGE_MS = 250;

/** What place() needs of a host record. */
export const toSnapshot = (h: HostRecord): HostSnapshot => ({
  id: h.id,
  az: h.az,
  enabled: h.enabled,
  healthy: h.health === 'up',
  arch: h.arch,
  nestedVirt: h.nestedVirt,
  vcpus: { ...h.vcpus },
  memoryMB: { ...h.memoryMB },
  diskGB: { ...h.diskGB },
  instances: 0,
});

/** One process's recent AZ snapshots. */
export class ZoneSnapshots {
  private readonly zones = new Map<string, { at: number; hosts: HostSnapshot[] }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The AZ's hosts: the cached copy while it is recent, unless `fresh` asks for a new read. */
  async get(
    hosts: HostsModel,
    trx: Transaction,
    regionId: string,
    az: string,
    fresh = false,
  ): Promise<HostSnapshot[]> {
    const key = `${regionId}/${az}`;
    const cached = this.zones.get(key);
    if (!fresh && cached && this.now() - cached.at < MAX_AGE_MS) return cached.hosts;
    const at = this.now();
    const read = (await hosts.inZone(regionId, az, trx)).map(toSnapshot);
    this.zones.set(key, { at, hosts: read });
    return read;
  }

  /** Applies this process's claim to the cached copy, so the next ranking sees it. */
  charged(regionId: string, az: string, hostId: string, size: ClaimSize): void {
    const h = this.zones.get(`${regionId}/${az}`)?.hosts.find((x) => x.id === hostId);
    if (!h) return;
    h.vcpus.used += size.vcpus;
    h.memoryMB.used += size.memoryMB;
    h.diskGB.used += size.diskGB;
  }
}
