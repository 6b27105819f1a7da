// Test helpers: host and request builders with sensible defaults. Used only by *.test.ts; not exported.
import type { HostSnapshot, PlacementRequest } from './types.js';

/** A healthy, enabled x86_64 host in az1 with 16 vCPUs ×4, 64 GiB ×1 and 1000 GiB ×1, empty. */
export function host(id: string, over: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    id,
    az: 'az1',
    enabled: true,
    healthy: true,
    arch: 'x86_64',
    nestedVirt: false,
    vcpus: { total: 16, used: 0, ratio: 4 },
    memoryMB: { total: 65536, used: 0, ratio: 1 },
    diskGB: { total: 1000, used: 0, ratio: 1 },
    instances: 0,
    ...over,
  };
}

/** A 2 vCPU / 2 GiB / 20 GiB x86_64 request for az1. */
export function request(over: Partial<PlacementRequest> = {}): PlacementRequest {
  return { az: 'az1', vcpus: 2, memoryMB: 2048, diskGB: 20, arch: 'x86_64', nestedVirt: false, ...over };
}

/** The snapshot after claiming `req` on it, as the store would report it next time. */
export function claimed(h: HostSnapshot, req: PlacementRequest): HostSnapshot {
  return {
    ...h,
    vcpus: { ...h.vcpus, used: h.vcpus.used + req.vcpus },
    memoryMB: { ...h.memoryMB, used: h.memoryMB.used + req.memoryMB },
    diskGB: { ...h.diskGB, used: h.diskGB.used + req.diskGB },
    instances: h.instances + 1,
  };
}
