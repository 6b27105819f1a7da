// Placement value types shared by filters, weighers and place(); declarations only, no behaviour.

/** One capacity dimension of a host: `usable = floor(total * ratio)`, of which `used` is claimed. */
export interface Resource {
  total: number;
  used: number;
  ratio: number;
}

/** What the scheduler knows about one host at decision time (read from the store, never mutated here). */
export interface HostSnapshot {
  id: string;
  az: string;
  enabled: boolean;
  healthy: boolean;
  arch: string;
  nestedVirt: boolean;
  vcpus: Resource;
  memoryMB: Resource;
  diskGB: Resource;
  instances: number;
}

/** What one new instance needs from its host. */
export interface PlacementRequest {
  az: string;
  vcpus: number;
  memoryMB: number;
  diskGB: number;
  arch: string;
  nestedVirt: boolean;
  /** hosts to avoid, e.g. ones a spawn already failed on, or anti-affinity peers */
  avoidHostIds?: readonly string[];
}

/** How passing hosts are ordered: spread (most free first, the default) or pack (least free first). */
export type WeigherName = 'spread' | 'pack';

/** Why one host was not a candidate: the first filter it failed and a human-readable reason. */
export interface Rejection {
  hostId: string;
  filter: string;
  reason: string;
}

/** The outcome of place(): the chosen host (the first of `ranked`, if any), every passing host, every rejection. */
export interface Placement {
  hostId: string | undefined;
  ranked: string[];
  rejected: Rejection[];
}
